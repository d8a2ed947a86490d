package planfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// errShort is the sticky error of a decoder that ran past its input.
var errShort = errors.New("record is truncated")

// encoder appends the primitives of the plan file's records to a byte slice.
// Integers are varints, floats are little-endian IEEE 754 bit patterns (so
// every value, NaN payloads included, round-trips exactly) and strings are a
// uvarint length followed by their bytes.
type encoder struct {
	b []byte
}

func (e *encoder) u8(v byte)         { e.b = append(e.b, v) }
func (e *encoder) uvarint(v uint64)  { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) varint(v int64)    { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) f64(v float64)     { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v)) }
func (e *encoder) f32(v float32)     { e.b = binary.LittleEndian.AppendUint32(e.b, math.Float32bits(v)) }
func (e *encoder) str(s string)      { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) point(p orb.Point) { e.f64(p[0]); e.f64(p[1]) }

func (e *encoder) boolean(v bool) {
	if v {
		e.u8(1)
	} else {
		e.u8(0)
	}
}

// decoder reads what an encoder wrote. It never panics: the first problem
// is kept in err, and every later read returns a zero value.
type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *decoder) failf(format string, args ...any) { d.fail(fmt.Errorf(format, args...)) }

func (d *decoder) remaining() int { return len(d.b) - d.off }

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > d.remaining() {
		d.fail(errShort)
		return nil
	}
	s := d.b[d.off : d.off+n]
	d.off += n
	return s
}

func (d *decoder) u8() byte {
	s := d.take(1)
	if s == nil {
		return 0
	}
	return s[0]
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		if n == 0 {
			d.fail(errShort)
		} else {
			d.fail(errors.New("integer overflows 64 bits"))
		}
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.off:])
	if n <= 0 {
		if n == 0 {
			d.fail(errShort)
		} else {
			d.fail(errors.New("integer overflows 64 bits"))
		}
		return 0
	}
	d.off += n
	return v
}

// int32 reads a varint that must fit an int32.
func (d *decoder) int32(what string) int32 {
	v := d.varint()
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.failf("%s %d is out of range", what, v)
		return 0
	}
	return int32(v)
}

// count reads a uvarint element count and checks it against max and
// against the bytes left, assuming each element takes at least minSize
// bytes. This keeps a corrupt count from allocating gigabytes.
func (d *decoder) count(what string, max int, minSize int) int {
	v := d.uvarint()
	if d.err != nil {
		return 0
	}
	if v > uint64(max) {
		d.failf("%s count %d exceeds the limit of %d", what, v, max)
		return 0
	}
	if minSize > 0 && v > uint64(d.remaining()/minSize) {
		d.failf("%s count %d does not fit in the %d bytes left", what, v, d.remaining())
		return 0
	}
	return int(v)
}

func (d *decoder) f64() float64 {
	s := d.take(8)
	if s == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(s))
}

func (d *decoder) f32() float32 {
	s := d.take(4)
	if s == nil {
		return 0
	}
	return math.Float32frombits(binary.LittleEndian.Uint32(s))
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(d.remaining()) {
		d.fail(errShort)
		return ""
	}
	return string(d.take(int(n)))
}

func (d *decoder) boolean() bool {
	switch d.u8() {
	case 0:
		return false
	case 1:
		return true
	default:
		d.fail(errors.New("boolean byte is neither 0 nor 1"))
		return false
	}
}

func (d *decoder) point() orb.Point { return orb.Point{d.f64(), d.f64()} }

// version reads the leading codec version byte of a record and checks it.
func (d *decoder) version(what string, want byte) {
	v := d.u8()
	if d.err == nil && v != want {
		d.failf("%s record has codec version %d, this build reads version %d", what, v, want)
	}
}

// end fails when bytes are left over after a complete record.
func (d *decoder) end(what string) {
	if d.err == nil && d.remaining() != 0 {
		d.failf("%s record has %d unexpected trailing bytes", what, d.remaining())
	}
}

// Limits that keep a corrupt record from allocating without bound.
const (
	maxChunk     = 1 << 16 // elements in one chunk
	maxDict      = 1 << 16 // distinct strings in a column dictionary
	maxRing      = 1 << 24 // points in one ring or line
	maxParts     = 1 << 20 // polygons in a multipolygon, rings in a polygon
	maxHistory   = 1 << 12 // months of history for one account
	maxAttrs     = 1 << 12 // extra columns on one account or unit
	maxNeighbors = 1 << 16
)

// Geometry is stored as nested counts followed by raw coordinates. Empty
// geometries are written as a zero count and read back as nil.

func (e *encoder) ring(r []orb.Point) {
	e.uvarint(uint64(len(r)))
	for _, p := range r {
		e.point(p)
	}
}

func (d *decoder) ring() []orb.Point {
	n := d.count("point", maxRing, 16)
	if n == 0 {
		return nil
	}
	r := make([]orb.Point, n)
	for i := range r {
		r[i] = d.point()
	}
	return r
}

func (e *encoder) polygon(p orb.Polygon) {
	e.uvarint(uint64(len(p)))
	for _, r := range p {
		e.ring(r)
	}
}

func (d *decoder) polygon() orb.Polygon {
	n := d.count("ring", maxParts, 1)
	if n == 0 {
		return nil
	}
	p := make(orb.Polygon, n)
	for i := range p {
		p[i] = orb.Ring(d.ring())
	}
	return p
}

func (e *encoder) multiPolygon(mp orb.MultiPolygon) {
	e.uvarint(uint64(len(mp)))
	for _, p := range mp {
		e.polygon(p)
	}
}

func (d *decoder) multiPolygon() orb.MultiPolygon {
	n := d.count("polygon", maxParts, 1)
	if n == 0 {
		return nil
	}
	mp := make(orb.MultiPolygon, n)
	for i := range mp {
		mp[i] = d.polygon()
	}
	return mp
}

// floatMap writes a map with sorted keys so that equal maps encode equally.
func (e *encoder) floatMap(m map[string]float64) {
	keys := sortedKeys(m)
	e.uvarint(uint64(len(keys)))
	for _, k := range keys {
		e.str(k)
		e.f64(m[k])
	}
}

func (d *decoder) floatMap(what string) map[string]float64 {
	n := d.count(what, maxAttrs, 9)
	if n == 0 {
		return nil
	}
	m := make(map[string]float64, n)
	for i := 0; i < n && d.err == nil; i++ {
		k := d.str()
		v := d.f64()
		if _, dup := m[k]; dup {
			d.failf("%s key %q appears twice", what, k)
		}
		m[k] = v
	}
	return m
}
