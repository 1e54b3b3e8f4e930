package scale

import "errors"

// Decoding errors. Each is returned (wrapped with its offset) by Decoder.Err.
var (
	ErrUnexpectedEOF       = errors.New("scale: unexpected end of input")
	ErrInvalidBool         = errors.New("scale: invalid bool byte")
	ErrInvalidOption       = errors.New("scale: invalid option tag")
	ErrNonCanonicalCompact = errors.New("scale: non-canonical compact encoding")
	ErrOverflow            = errors.New("scale: value overflows its type")
	ErrTooLong             = errors.New("scale: length exceeds remaining input")
	ErrTrailingBytes       = errors.New("scale: trailing bytes after value")
	ErrInvalidUTF8         = errors.New("scale: string is not valid UTF-8")
	ErrInvalidEnum         = errors.New("scale: invalid enum index")
)
