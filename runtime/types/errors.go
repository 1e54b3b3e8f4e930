package types

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/runtime/scale"
)

// Errors detected while parsing text (hex, SS58).
var (
	// ErrInvalidHex reports a hash that is not 32 bytes of hex.
	ErrInvalidHex = errors.New("types: invalid hex hash")
	// ErrInvalidBase58 reports a character outside the base58 alphabet.
	ErrInvalidBase58 = errors.New("types: invalid base58")
	// ErrSS58Length reports an SS58 payload that is not prefix ++ 32 bytes ++ 2 checksum bytes.
	ErrSS58Length = errors.New("types: ss58 length")
	// ErrSS58Prefix reports an invalid or non-canonical SS58 prefix.
	ErrSS58Prefix = errors.New("types: ss58 prefix")
	// ErrSS58Checksum reports a checksum mismatch.
	ErrSS58Checksum = errors.New("types: ss58 checksum")
)

// Errors detected while decoding SCALE values.
var (
	// ErrUnknownVariant reports an enum index this package does not know.
	ErrUnknownVariant = errors.New("types: unknown enum variant")
	// ErrBlockNumber reports a Compact block number above u32::MAX.
	ErrBlockNumber = errors.New("types: block number overflows u32")
	// ErrExtrinsicLength reports an extrinsic whose compact length prefix
	// does not match the bytes that follow it.
	ErrExtrinsicLength = errors.New("types: extrinsic length prefix mismatch")
	// ErrExtrinsicVersion reports a version byte other than 0x04 or 0x84.
	ErrExtrinsicVersion = errors.New("types: unsupported extrinsic version")
	// ErrInvalidEra reports a mortal era whose period < 4 or phase >= period.
	ErrInvalidEra = errors.New("types: invalid era")
)

// badVariant wraps both ErrUnknownVariant and scale.ErrInvalidEnum.
func badVariant(what string, v uint8) error {
	return fmt.Errorf("%w: %s %d: %w", ErrUnknownVariant, what, v, scale.ErrInvalidEnum)
}
