package metadata

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/runtime/scale"
)

// Check verifies that b is a well-formed `meta` V14 or V15 blob whose type
// references all point into its registry; it returns the number of types
// and pallets.
func Check(b []byte) (types, pallets int, err error) {
	d := scale.NewDecoder(b)
	if d.U32() != Magic {
		return 0, 0, errors.New("metadata: bad magic")
	}
	ver := d.U8()
	n := d.Len(1)
	var refs []uint64
	ref := func() { refs = append(refs, d.Compact()) }
	strs := func() {
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			_ = d.String()
		}
	}
	optStr := func() {
		if d.Option() {
			_ = d.String()
		}
	}
	fields := func() {
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			optStr()
			ref()
			optStr()
			strs()
		}
	}
	for i := 0; i < n && d.Err() == nil; i++ {
		if id := d.Compact(); id != uint64(i) {
			return 0, 0, fmt.Errorf("metadata: type %d has id %d", i, id)
		}
		strs()
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			_ = d.String()
			if d.Option() {
				ref()
			}
		}
		switch def := d.U8(); def {
		case 0:
			fields()
		case 1:
			seen := map[uint8]bool{}
			for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
				_ = d.String()
				fields()
				idx := d.U8()
				if seen[idx] {
					return 0, 0, fmt.Errorf("metadata: type %d: duplicate variant index %d", i, idx)
				}
				seen[idx] = true
				strs()
			}
		case 2, 6:
			ref()
		case 3:
			d.U32()
			ref()
		case 4:
			for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
				ref()
			}
		case 5:
			if p := d.U8(); p > uint8(I256) {
				return 0, 0, fmt.Errorf("metadata: bad primitive %d", p)
			}
		default:
			return 0, 0, fmt.Errorf("metadata: type %d: bad def %d", i, def)
		}
		strs()
	}
	np := d.Len(1)
	for i := 0; i < np && d.Err() == nil; i++ {
		_ = d.String()
		if d.Option() {
			_ = d.String()
			for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
				_ = d.String()
				d.U8()
				if d.U8() == 0 {
					ref()
				} else {
					d.Bytes()
					ref()
					ref()
				}
				d.Bytes()
				strs()
			}
		}
		for j := 0; j < 2; j++ { // calls, event
			if d.Option() {
				ref()
			}
		}
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			_ = d.String()
			ref()
			d.Bytes()
			strs()
		}
		if d.Option() {
			ref()
		}
		d.U8()
		if ver >= 15 {
			strs()
		}
	}
	if ver == 14 {
		ref()
		d.U8()
	} else {
		d.U8()
		ref()
		ref()
		ref()
		ref()
	}
	for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
		_ = d.String()
		ref()
		ref()
	}
	ref()
	if ver >= 15 {
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- { // apis
			_ = d.String()
			for m := d.Len(1); m > 0 && d.Err() == nil; m-- {
				_ = d.String()
				for a := d.Len(1); a > 0 && d.Err() == nil; a-- {
					_ = d.String()
					ref()
				}
				ref()
				strs()
			}
			strs()
		}
		ref()
		ref()
		ref()
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			_ = d.String()
			ref()
			d.Bytes()
		}
	}
	if err := d.Finish(); err != nil {
		return 0, 0, err
	}
	for _, r := range refs {
		if r >= uint64(n) {
			return 0, 0, fmt.Errorf("metadata: dangling type reference %d (of %d)", r, n)
		}
	}
	return n, np, nil
}
