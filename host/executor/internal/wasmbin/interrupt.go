package wasmbin

import (
	"fmt"
	"slices"
)

// CheckPeriod is how many checks AddInterruptCheck's code passes between two
// exits to the engine (and reads of the stop flag).
const CheckPeriod = 1 << 14

// AddInterruptCheck returns a copy of the module b with two new mutable
// i32 globals, exported as stopName and countName, and a check at the entry
// of every function and at the header of every loop:
//
//	global.get $count  i32.const -1  i32.add  global.set $count
//	global.get $count  i32.eqz
//	if
//	  i32.const 0  memory.grow 0  drop   ;; only if the module has a memory
//	  global.get $stop  if  unreachable  end
//	  i32.const CheckPeriod  global.set $count
//	end
//
// Every backward branch in wasm targets a loop header, and recursion goes
// through function entries, so running code passes a check at least once
// per loop iteration and per call. Every CheckPeriod checks it takes the
// slow path: memory.grow(0) leaves the compiled code for the engine's Go
// code, which is where the Go scheduler can preempt the goroutine (compiled
// code cannot be preempted: a goroutine that never leaves it blocks every
// stop-the-world, the GC's included, and with it the whole process), and
// then it traps if $stop is non-zero. Setting $stop and $count to 1 from
// outside stops the guest within about one check. The common path is a
// decrement and a not-taken branch, instead of wazero's exit to Go at every
// loop header (WithCloseOnContextDone).
//
// DWARF custom sections (".debug_*") are dropped: their code offsets would
// no longer match. b must already have passed Parse; everything else in the
// module is copied unchanged. wazero validates the result.
func AddInterruptCheck(b []byte, stopName, countName string) ([]byte, error) {
	if len(b) < 8 || [8]byte(b[:8]) != magic {
		return nil, fmt.Errorf("%w: bad magic or version", ErrMalformed)
	}
	type section struct {
		id   byte
		body []byte
	}
	var secs []section
	r := reader{b: b, off: 8}
	importedGlobals, definedGlobals := uint32(0), uint32(0)
	hasGlobal, hasExport, hasMemory := false, false, false
	for r.off < len(r.b) {
		id := r.byte()
		size := r.u32()
		if r.err != nil {
			return nil, r.err
		}
		if uint64(size) > uint64(len(r.b)-r.off) {
			return nil, fmt.Errorf("%w: section %d overruns the binary", ErrMalformed, id)
		}
		body := r.b[r.off : r.off+int(size)]
		r.off += int(size)
		switch id {
		case 0:
			sr := reader{b: body}
			if name := sr.name(); sr.err == nil && len(name) >= 7 && name[:7] == ".debug_" {
				continue
			}
		case 2:
			imps, err := parseImports(&reader{b: body})
			if err != nil {
				return nil, err
			}
			for _, imp := range imps {
				switch imp.Kind {
				case KindGlobal:
					importedGlobals++
				case KindMemory:
					hasMemory = true
				}
			}
		case 5:
			hasMemory = true
		case 6:
			hasGlobal = true
			sr := reader{b: body}
			definedGlobals = sr.u32()
			if sr.err != nil {
				return nil, sr.err
			}
		case 7:
			hasExport = true
		}
		secs = append(secs, section{id, body})
	}
	stop := importedGlobals + definedGlobals
	count := stop + 1

	newGlobals := []byte{0x7f, 0x01, 0x41, 0x00, 0x0b} // $stop: i32, mutable, i32.const 0, end
	newGlobals = append(newGlobals, 0x7f, 0x01, 0x41)  // $count: i32, mutable, i32.const CheckPeriod, end
	newGlobals = appendS32(newGlobals, CheckPeriod)
	newGlobals = append(newGlobals, 0x0b)
	newExports := appendName(nil, stopName)
	newExports = append(newExports, KindGlobal)
	newExports = appendU32(newExports, stop)
	newExports = appendName(newExports, countName)
	newExports = append(newExports, KindGlobal)
	newExports = appendU32(newExports, count)

	check := append([]byte{0x23}, appendU32(nil, count)...) // global.get $count
	check = append(check, 0x41, 0x7f, 0x6a, 0x24)           // i32.const -1, i32.add, global.set
	check = appendU32(check, count)
	check = append(check, 0x23)
	check = appendU32(check, count)
	check = append(check, 0x45, 0x04, 0x40) // i32.eqz, if (empty)
	if hasMemory {
		check = append(check, 0x41, 0x00, 0x40, 0x00, 0x1a) // i32.const 0, memory.grow 0, drop
	}
	check = append(check, 0x23)
	check = appendU32(check, stop)
	check = append(check, 0x04, 0x40, 0x00, 0x0b, 0x41) // if unreachable end, i32.const
	check = appendS32(check, CheckPeriod)
	check = append(check, 0x24)
	check = appendU32(check, count)
	check = append(check, 0x0b) // end

	// Sections in their required order; the global section (6) comes right
	// before the export section (7), both after the memory section (5) and
	// the tag section (13).
	order := func(id byte) int {
		switch id {
		case 13:
			return 55 // between memory (5) and global (6)
		case 12:
			return 95 // data count: between element (9) and code (10)
		}
		return int(id) * 10
	}
	out := append([]byte(nil), magic[:]...)
	emit := func(id byte, body []byte) {
		out = append(out, id)
		out = appendU32(out, uint32(len(body)))
		out = append(out, body...)
	}
	addedGlobal, addedExport := false, false
	addMissing := func(before byte) {
		if !addedGlobal && !hasGlobal && order(before) > order(6) {
			emit(6, append(appendU32(nil, 2), newGlobals...))
			addedGlobal = true
		}
		if !addedExport && !hasExport && order(before) > order(7) {
			emit(7, append(appendU32(nil, 2), newExports...))
			addedExport = true
		}
	}
	for _, s := range secs {
		if s.id != 0 {
			addMissing(s.id)
		}
		switch s.id {
		case 6:
			body, err := appendVecEntries(s.body, 2, newGlobals)
			if err != nil {
				return nil, err
			}
			emit(6, body)
			addedGlobal = true
		case 7:
			if err := checkNoExport(s.body, stopName, countName); err != nil {
				return nil, err
			}
			body, err := appendVecEntries(s.body, 2, newExports)
			if err != nil {
				return nil, err
			}
			emit(7, body)
			addedExport = true
		case 10:
			body, err := instrumentCode(s.body, check)
			if err != nil {
				return nil, err
			}
			emit(10, body)
		default:
			emit(s.id, s.body)
		}
	}
	addMissing(255)
	return out, nil
}

// appendVecEntries adds n encoded entries to a section that is a vector.
func appendVecEntries(body []byte, n uint32, entry []byte) ([]byte, error) {
	r := reader{b: body}
	have := r.u32()
	if r.err != nil {
		return nil, r.err
	}
	out := appendU32(nil, have+n)
	out = append(out, body[r.off:]...)
	return append(out, entry...), nil
}

func checkNoExport(body []byte, names ...string) error {
	r := reader{b: body}
	n := r.u32()
	for i := uint32(0); i < n && r.err == nil; i++ {
		if name := r.name(); slices.Contains(names, name) {
			return fmt.Errorf("%w: module already exports %q", ErrMalformed, name)
		}
		r.byte()
		r.u32()
	}
	return r.err
}

// instrumentCode rewrites every function body of the code section.
func instrumentCode(body []byte, check []byte) ([]byte, error) {
	r := reader{b: body}
	n := r.u32()
	if r.err != nil {
		return nil, r.err
	}

	out := appendU32(make([]byte, 0, len(body)+len(body)/8), n)
	var fn []byte
	for i := uint32(0); i < n; i++ {
		size := r.u32()
		if r.err != nil {
			return nil, r.err
		}
		if uint64(size) > uint64(len(r.b)-r.off) {
			return nil, fmt.Errorf("%w: function %d overruns the code section", ErrMalformed, i)
		}
		fr := reader{b: r.b[r.off : r.off+int(size)]}
		r.off += int(size)
		// Locals are copied as they are.
		groups := fr.u32()
		for g := uint32(0); g < groups && fr.err == nil; g++ {
			fr.u32()
			fr.byte()
		}
		if fr.err != nil {
			return nil, fmt.Errorf("function %d: %w", i, fr.err)
		}
		locals := fr.b[:fr.off]
		var err error
		var calls bool
		if fn, calls, err = instrumentExpr(&fr, fn[:0], check); err != nil {
			return nil, fmt.Errorf("function %d: %w", i, err)
		}
		// A function that calls nothing cannot recurse: its loops' checks
		// bound it. One that calls gets a check at its entry too.
		size = uint32(len(locals) + len(fn))
		if calls {
			size += uint32(len(check))
		}
		out = appendU32(out, size)
		out = append(out, locals...)
		if calls {
			out = append(out, check...)
		}
		out = append(out, fn...)
	}
	if r.off != len(r.b) {
		return nil, fmt.Errorf("%w: trailing bytes in code section", ErrMalformed)
	}
	return out, nil
}

// instrumentExpr copies the instructions of one function body, adding check
// after the block type of every loop, and reports whether the body calls.
func instrumentExpr(r *reader, out, check []byte) (_ []byte, calls bool, _ error) {
	for r.off < len(r.b) {
		start := r.off
		op := r.byte()
		isLoop := false
		switch {
		case op == 0x02 || op == 0x04: // block, if
			r.blockType()
		case op == 0x03: // loop
			r.blockType()
			isLoop = true
		case op == 0x0c || op == 0x0d: // br, br_if
			r.u32()
		case op == 0x0e: // br_table
			cnt := r.u32()
			for k := uint32(0); k <= cnt && r.err == nil; k++ {
				r.u32()
			}
		case op == 0x10 || op == 0x12: // call, return_call
			r.u32()
			calls = true
		case op == 0x11 || op == 0x13: // call_indirect, return_call_indirect
			r.u32()
			r.u32()
			calls = true
		case op == 0x08: // throw
			r.u32()
		case op == 0x1c: // select t*
			cnt := r.u32()
			for k := uint32(0); k < cnt && r.err == nil; k++ {
				r.byte()
			}
		case op == 0x1f: // try_table bt vec(catch)
			r.blockType()
			cnt := r.u32()
			for k := uint32(0); k < cnt && r.err == nil; k++ {
				switch r.byte() {
				case 0x00, 0x01: // catch, catch_ref: tag label
					r.u32()
					r.u32()
				case 0x02, 0x03: // catch_all, catch_all_ref: label
					r.u32()
				default:
					r.fail("catch clause")
				}
			}
		case op >= 0x20 && op <= 0x26: // local.*, global.*, table.get/set
			r.u32()
		case op >= 0x28 && op <= 0x3e: // loads, stores: memarg
			r.memarg()
		case op == 0x3f || op == 0x40: // memory.size, memory.grow
			r.byte()
		case op == 0x41: // i32.const
			r.leb(5)
		case op == 0x42: // i64.const
			r.leb(10)
		case op == 0x43: // f32.const
			r.skip(4)
		case op == 0x44: // f64.const
			r.skip(8)
		case op == 0xd0: // ref.null t
			r.byte()
		case op == 0xd2: // ref.func
			r.u32()
		case op == 0xfc:
			r.prefixedFC()
		case op == 0xfd:
			r.prefixedFD()
		case op == 0xfe:
			sub := r.u32()
			if sub == 0x03 { // atomic.fence
				r.byte()
			} else {
				r.memarg()
			}
		case op == 0x00 || op == 0x01 || op == 0x05 || op == 0x0a || op == 0x0b || op == 0x0f ||
			op == 0x1a || op == 0x1b || (op >= 0x45 && op <= 0xc4) || op == 0xd1:
			// No immediates: unreachable, nop, else, throw_ref, end, return,
			// drop, select, numeric and conversion operators, ref.is_null.
		default:
			return nil, false, fmt.Errorf("%w: unknown opcode 0x%02x at %d", ErrMalformed, op, start)
		}
		if r.err != nil {
			return nil, false, r.err
		}
		out = append(out, r.b[start:r.off]...)
		if isLoop {
			out = append(out, check...)
		}
	}
	return out, calls, nil
}

func (r *reader) skip(n int) {
	if r.err != nil || len(r.b)-r.off < n {
		r.fail("immediate")
		return
	}
	r.off += n
}

// blockType reads a block type: 0x40, a value type, or an s33 type index.
func (r *reader) blockType() {
	if r.err != nil || r.off >= len(r.b) {
		r.fail("block type")
		return
	}
	c := r.b[r.off]
	if c == 0x40 || (c >= 0x6f && c <= 0x7f) {
		r.off++
		return
	}
	r.leb(5)
}

func (r *reader) memarg() {
	align := r.u32()
	if align&0x40 != 0 { // multi-memory: explicit memory index
		r.u32()
	}
	r.u32() // offset (memory64 would be a u64; LEB either way)
}

func (r *reader) prefixedFC() {
	switch sub := r.u32(); {
	case sub <= 7: // saturating truncations
	case sub == 8: // memory.init data mem
		r.u32()
		r.byte()
	case sub == 9: // data.drop
		r.u32()
	case sub == 10: // memory.copy mem mem
		r.byte()
		r.byte()
	case sub == 11: // memory.fill mem
		r.byte()
	case sub == 12 || sub == 14: // table.init, table.copy
		r.u32()
		r.u32()
	case sub == 13 || (sub >= 15 && sub <= 17): // elem.drop, table.grow/size/fill
		r.u32()
	default:
		r.fail(fmt.Sprintf("0xfc opcode %d", sub))
	}
}

func (r *reader) prefixedFD() {
	switch sub := r.u32(); {
	case sub <= 11 || sub == 92 || sub == 93: // v128 loads and stores
		r.memarg()
	case sub == 12 || sub == 13: // v128.const, i8x16.shuffle
		r.skip(16)
	case sub >= 21 && sub <= 34: // extract/replace lane
		r.byte()
	case sub >= 84 && sub <= 91: // load/store lane
		r.memarg()
		r.byte()
	default: // the rest take no immediate
		if sub > 0x113 {
			r.fail(fmt.Sprintf("0xfd opcode %d", sub))
		}
	}
}

func appendU32(b []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func appendName(b []byte, s string) []byte {
	b = appendU32(b, uint32(len(s)))
	return append(b, s...)
}

func appendS32(b []byte, v int32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
