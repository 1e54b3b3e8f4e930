package transactionpayment

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Currency is what the pallet needs from Balances (pallets/balances
// implements it).
type Currency interface {
	// Withdraw takes exactly amount out of who's free balance and out of
	// the total issuance; keepAlive refuses to reap the account.
	Withdraw(ctx *frame.Context, who types.AccountID, amount scale.U128, keepAlive bool) error
	// Deposit adds amount to who's free balance and to the total issuance;
	// bestEffort adds nothing (instead of failing) when the account would
	// end below the existential deposit. It returns what it added.
	Deposit(ctx *frame.Context, who types.AccountID, amount scale.U128, bestEffort bool) (scale.U128, error)
	// Total is who's free + reserved balance.
	Total(ctx *frame.Context, who types.AccountID) scale.U128
}

// BlockAuthor tells who authored the current block (pallet_authorship).
// A runtime without one (the dev chain) leaves Config.Author nil and every
// fee goes to the treasury.
type BlockAuthor interface {
	Author(ctx *frame.Context) (types.AccountID, bool)
}
