package balances

import (
	"testing"

	"github.com/metamars/mars/runtime/frame"

	"github.com/metamars/mars/runtime/scale"
)

func u(v uint64) scale.U128 { return scale.FromUint64(v) }

func TestReducible(t *testing.T) {
	ed := u(10)
	one := refs{providers: 1}
	pinned := refs{providers: 1, consumers: 1}
	cases := []struct {
		name  string
		a     AccountData
		r     refs
		p     preservation
		force bool
		want  uint64
	}{
		{"expendable free", AccountData{Free: u(100)}, one, expendable, false, 100},
		{"preserve keeps ED", AccountData{Free: u(100)}, one, preserve, false, 90},
		{"protect last provider keeps ED", AccountData{Free: u(100)}, one, protect, false, 90},
		{"protect with 2 providers", AccountData{Free: u(100)}, refs{providers: 2}, protect, false, 100},
		{"expendable but consumed keeps ED", AccountData{Free: u(100)}, pinned, expendable, false, 90},
		{"frozen", AccountData{Free: u(100), Frozen: u(60)}, one, expendable, false, 40},
		{"frozen covered by reserve", AccountData{Free: u(100), Reserved: u(50), Frozen: u(60)}, one, expendable, false, 90},
		{"frozen forced", AccountData{Free: u(100), Frozen: u(60)}, one, expendable, true, 100},
		{"frozen below ED, preserve", AccountData{Free: u(100), Frozen: u(5)}, one, preserve, false, 90},
		{"frozen above free", AccountData{Free: u(10), Frozen: u(60)}, one, expendable, false, 0},
	}
	for _, c := range cases {
		if got := reducible(c.a, c.r, ed, c.p, c.force); got != u(c.want) {
			t.Errorf("%s: got %s want %d", c.name, got, c.want)
		}
	}
}

func TestCanWithdraw(t *testing.T) {
	ed, iss := u(10), u(1000)
	one := refs{providers: 1}
	cases := []struct {
		name    string
		a       AccountData
		r       refs
		amount  uint64
		want    withdrawConsequence
		keep    bool
		wantErr error
	}{
		{"zero", AccountData{}, one, 0, wdSuccess, true, nil},
		{"ok", AccountData{Free: u(100)}, one, 50, wdSuccess, true, nil},
		{"low", AccountData{Free: u(100)}, one, 101, wdBalanceLow, false, frame.ErrFundsUnavailable},
		{"to dust allowed", AccountData{Free: u(100)}, one, 95, wdReducedToZero, false, nil},
		{"to dust keep alive", AccountData{Free: u(100)}, one, 95, wdReducedToZero, true, frame.ErrNotExpendable},
		{"would die", AccountData{Free: u(100)}, refs{providers: 1, consumers: 1}, 100, wdWouldDie, false, frame.ErrOnlyProvider},
		{"frozen", AccountData{Free: u(100), Frozen: u(60)}, one, 50, wdFrozen, false, frame.ErrFrozen},
		{"underflow issuance", AccountData{Free: u(2000)}, one, 1500, wdUnderflow, false, frame.ErrUnderflow},
	}
	for _, c := range cases {
		got := canWithdraw(c.a, c.r, ed, iss, u(c.amount))
		if got != c.want {
			t.Errorf("%s: got %d want %d", c.name, got, c.want)
		}
		if err := got.err(c.keep); err != c.wantErr {
			t.Errorf("%s: err %v want %v", c.name, err, c.wantErr)
		}
	}
}

func TestCanDeposit(t *testing.T) {
	ed := u(10)
	if c := canDeposit(AccountData{}, ed, u(0), u(9), false); c.err() != frame.ErrBelowMinimum {
		t.Fatalf("below ED to new account: %v", c.err())
	}
	if c := canDeposit(AccountData{Free: u(5)}, ed, u(0), u(5), false); c != depSuccess {
		t.Fatalf("exactly ED: %d", c)
	}
	if c := canDeposit(AccountData{}, ed, scale.MaxU128, u(20), true); c.err() != frame.ErrOverflow {
		t.Fatalf("mint overflow: %v", c.err())
	}
	if c := canDeposit(AccountData{}, ed, scale.MaxU128, u(20), false); c != depSuccess {
		t.Fatalf("transfer does not mint: %d", c)
	}
	if c := canDeposit(AccountData{Free: scale.MaxU128}, ed, u(0), u(1), false); c != depOverflow {
		t.Fatalf("free overflow: %d", c)
	}
	if c := canDeposit(AccountData{Free: u(20), Reserved: scale.MaxU128}, ed, u(0), u(1), false); c != depOverflow {
		t.Fatalf("total overflow: %d", c)
	}
	if c := canDeposit(AccountData{}, ed, u(0), u(0), false); c != depSuccess {
		t.Fatalf("zero: %d", c)
	}
}

func TestLocksMath(t *testing.T) {
	a, b := LockID{'a'}, LockID{'b'}
	var ls []BalanceLock
	ls = withLock(ls, a, u(50), ReasonsFee)
	ls = withLock(ls, b, u(30), ReasonsAll)
	if got := frozenAmount(ls, nil); got != u(50) {
		t.Fatalf("frozen %s", got)
	}
	ls = withLock(ls, a, u(20), ReasonsMisc) // set replaces, may lower
	if got := frozenAmount(ls, nil); got != u(30) || ls[0].Reasons != ReasonsMisc {
		t.Fatalf("after set: frozen %s locks %+v", got, ls)
	}
	ls = extendedLock(ls, a, u(10), ReasonsFee) // extend never lowers, widens reasons
	if ls[0].Amount != u(20) || ls[0].Reasons != ReasonsAll {
		t.Fatalf("extend: %+v", ls[0])
	}
	ls = extendedLock(ls, LockID{'c'}, u(70), ReasonsFee)
	if len(ls) != 3 || frozenAmount(ls, []IDAmount{{Amount: u(80)}}) != u(80) {
		t.Fatalf("extend new: %+v", ls)
	}
	ls = withLock(ls, b, u(0), ReasonsAll) // zero removes
	ls = withoutLock(ls, LockID{'c'})
	if len(ls) != 1 || ls[0].ID != a {
		t.Fatalf("remove: %+v", ls)
	}
}

func TestAccountDataHelpers(t *testing.T) {
	a := DefaultAccountData()
	a.Free = u(1)
	b := scale.Encode(&a)
	if len(b) != 64 || b[0] != 1 || b[63] != 0x80 {
		t.Fatalf("encoding %x", b)
	}
	if !isDefault(DefaultAccountData()) || isDefault(a) {
		t.Fatal("isDefault")
	}
	x := AccountData{Free: u(100), Reserved: u(50), Frozen: u(70)}
	if usable(x) != u(80) || total(x) != u(150) || !consuming(x) || !providing(x, u(100)) || providing(x, u(101)) {
		t.Fatalf("helpers on %+v", x)
	}
}
