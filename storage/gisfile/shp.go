package gisfile

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/paulmach/orb"

	enginegeo "territoria/engine/geo"
)

// Shape types of the ESRI Shapefile specification.
const (
	shapeNull     = 0
	shapePolygon  = 5
	shapePolygonZ = 15
	shapePolygonM = 25
)

var shapeNames = map[int32]string{
	0: "null", 1: "Point", 3: "PolyLine", 5: "Polygon", 8: "MultiPoint", 11: "PointZ", 13: "PolyLineZ",
	15: "PolygonZ", 18: "MultiPointZ", 21: "PointM", 23: "PolyLineM", 25: "PolygonM", 28: "MultiPointM", 31: "MultiPatch",
}

func shapeName(t int32) string {
	if n, ok := shapeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("unknown (%d)", t)
}

// shpHeaderLen is the size of the main file header; a record header is 8 bytes.
const shpHeaderLen = 100

// maxRecord bounds the content of one record (256 MiB).
const maxRecord = 256 << 20

// shpReader reads the records of a .shp main file one at a time.
type shpReader struct {
	r         *bufio.Reader
	name      string
	shapeType int32
	length    int64 // file length from the header, in bytes
	off       int64 // bytes consumed
	buf       []byte
	record    int // records read
}

// newShpReader reads and checks the main file header.
func newShpReader(r io.Reader, name string) (*shpReader, error) {
	s := &shpReader{r: bufio.NewReaderSize(r, 1<<16), name: name}
	h := make([]byte, shpHeaderLen)
	if n, err := io.ReadFull(s.r, h); err != nil {
		if n == 0 {
			return nil, fmt.Errorf("%s: %w: the file is empty", name, ErrFormat)
		}
		return nil, fmt.Errorf("%s: %w: the header is cut short after %d of %d bytes (truncated?)", name, ErrFormat, n, shpHeaderLen)
	}
	s.off = shpHeaderLen
	if code := binary.BigEndian.Uint32(h[0:]); code != 9994 {
		return nil, fmt.Errorf("%s: %w: it does not start with the Shapefile file code 9994 (found %d)", name, ErrFormat, code)
	}
	if v := binary.LittleEndian.Uint32(h[28:]); v != 1000 {
		return nil, fmt.Errorf("%s: %w: Shapefile version %d, want 1000", name, ErrFormat, v)
	}
	s.length = int64(binary.BigEndian.Uint32(h[24:])) * 2
	s.shapeType = int32(binary.LittleEndian.Uint32(h[32:]))
	switch s.shapeType {
	case shapePolygon, shapePolygonZ, shapePolygonM, shapeNull:
	default:
		return nil, fmt.Errorf("%s: the Shapefile holds %s shapes; boundaries must be polygons (shape type 5, 15 or 25)", name, shapeName(s.shapeType))
	}
	if s.length < shpHeaderLen {
		return nil, fmt.Errorf("%s: %w: the header gives a file length of %d bytes, less than the header itself", name, ErrFormat, s.length)
	}
	return s, nil
}

// shpRecord is one record: its rings as stored, or null.
type shpRecord struct {
	Rings []orb.Ring
	Null  bool
	// Problem is set for a record that is readable but not usable (a
	// shape of another type, an inconsistent part list); the record is
	// then skipped. Code is the Problem code.
	Problem, Code string
}

// next reads the next record. It returns io.EOF after the last one.
func (s *shpReader) next() (shpRecord, error) {
	if s.off >= s.length {
		return shpRecord{}, io.EOF
	}
	var h [8]byte
	n, err := io.ReadFull(s.r, h[:])
	if err != nil {
		if n == 0 && errors.Is(err, io.EOF) {
			// The header claims more than there is. GDAL reads such files;
			// so do we, after the last whole record.
			return shpRecord{}, io.EOF
		}
		return shpRecord{}, s.truncated()
	}
	s.record++
	s.off += 8
	words := int64(binary.BigEndian.Uint32(h[4:]))
	size := words * 2
	if size < 4 || size > maxRecord {
		return shpRecord{}, fmt.Errorf("%s: %w: record %d: content length of %d bytes is impossible", s.name, ErrFormat, s.record, size)
	}
	b, err := readGrow(s.r, s.buf, size)
	s.buf = b
	if err != nil {
		return shpRecord{}, s.truncated()
	}
	s.off += size
	return s.parse(b), nil
}

func (s *shpReader) truncated() error {
	return fmt.Errorf("%s: %w: record %d is cut short: the file ends early (truncated?)", s.name, ErrFormat, s.record+1)
}

// parse decodes the content of one record: shape type, box, part and
// point counts, part starts and points (Z and M values are ignored).
func (s *shpReader) parse(b []byte) shpRecord {
	le := binary.LittleEndian
	t := int32(le.Uint32(b))
	switch t {
	case shapeNull:
		return shpRecord{Null: true}
	case shapePolygon, shapePolygonZ, shapePolygonM:
	default:
		return shpRecord{Problem: fmt.Sprintf("is a %s shape, not a polygon", shapeName(t)), Code: CodeNotPolygon}
	}
	if len(b) < 44 {
		return shpRecord{Problem: fmt.Sprintf("the polygon record has %d bytes, fewer than its 44-byte header", len(b)), Code: CodeBadGeometry}
	}
	parts := int64(int32(le.Uint32(b[36:])))
	points := int64(int32(le.Uint32(b[40:])))
	if parts < 0 || points < 0 || parts > points {
		return shpRecord{Problem: fmt.Sprintf("has %d parts and %d points", parts, points), Code: CodeBadGeometry}
	}
	need := 44 + 4*parts + 16*points
	if need > int64(len(b)) {
		return shpRecord{Problem: fmt.Sprintf("claims %d parts and %d points, more than its %d bytes hold", parts, points, len(b)), Code: CodeBadGeometry}
	}
	if parts == 0 {
		return shpRecord{Null: true}
	}
	starts := make([]int, parts+1)
	for i := int64(0); i < parts; i++ {
		starts[i] = int(int32(le.Uint32(b[44+4*i:])))
	}
	starts[parts] = int(points)
	if starts[0] != 0 {
		return shpRecord{Problem: fmt.Sprintf("part 0 starts at point %d, want 0", starts[0]), Code: CodeBadGeometry}
	}
	pts := b[44+4*parts:]
	rings := make([]orb.Ring, 0, parts)
	for i := int64(0); i < parts; i++ {
		lo, hi := starts[i], starts[i+1]
		if hi < lo || hi > int(points) {
			return shpRecord{Problem: fmt.Sprintf("part %d runs from point %d to %d of %d", i, lo, hi, points), Code: CodeBadGeometry}
		}
		r := make(orb.Ring, hi-lo)
		for k := range r {
			off := 16 * (lo + k)
			x := math.Float64frombits(le.Uint64(pts[off:]))
			y := math.Float64frombits(le.Uint64(pts[off+8:]))
			if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
				return shpRecord{Problem: fmt.Sprintf("part %d point %d is not a finite number", i, k), Code: CodeBadGeometry}
			}
			r[k] = orb.Point{x, y}
		}
		rings = append(rings, r)
	}
	return shpRecord{Rings: rings}
}

// assembleRings groups the rings of a Shapefile polygon into polygons. The
// specification winds outer rings clockwise and holes counterclockwise; a
// hole goes to the smallest larger outer ring containing its label point. A hole inside no
// outer ring, and every ring when none is clockwise (files written against
// the specification), become outer rings of their own. It returns the
// number of rings so promoted.
func assembleRings(rings []orb.Ring) (orb.MultiPolygon, int) {
	type outer struct {
		ring orb.Ring
		area float64
	}
	var outers []outer
	var holes []orb.Ring
	for _, r := range rings {
		if len(r) == 0 {
			continue
		}
		a := ringArea(r)
		if a < 0 {
			outers = append(outers, outer{r, -a})
		} else {
			holes = append(holes, r)
		}
	}
	promoted := 0
	if len(outers) == 0 {
		mp := make(orb.MultiPolygon, 0, len(holes))
		for _, h := range holes {
			mp = append(mp, orb.Polygon{h})
		}
		return mp, 0
	}
	mp := make(orb.MultiPolygon, len(outers))
	for i, o := range outers {
		mp[i] = orb.Polygon{o.ring}
	}
	for _, h := range holes {
		best := -1
		if lp, ok := enginegeo.LabelPoint(orb.Polygon{h}); ok {
			area := ringArea(h)
			for i, o := range outers {
				if o.area > area && (best < 0 || o.area < outers[best].area) && enginegeo.RingContains(o.ring, lp) {
					best = i
				}
			}
		}
		if best < 0 {
			mp = append(mp, orb.Polygon{h})
			promoted++
			continue
		}
		mp[best] = append(mp[best], h)
	}
	return mp, promoted
}

// ringArea is the planar signed area of r (closed implicitly), positive
// when counterclockwise.
func ringArea(r orb.Ring) float64 {
	n := len(r)
	if n < 3 {
		return 0
	}
	o := r[0]
	var s float64
	for i := 0; i < n; i++ {
		a, b := r[i], r[(i+1)%n]
		s += (a[0]-o[0])*(b[1]-o[1]) - (b[0]-o[0])*(a[1]-o[1])
	}
	return s / 2
}

// readGrow reads exactly size bytes into buf (reusing its storage), growing
// it a mebibyte at a time so that a size claimed by a damaged header costs
// no more memory than the data actually present.
func readGrow(r io.Reader, buf []byte, size int64) ([]byte, error) {
	buf = buf[:0]
	for int64(len(buf)) < size {
		chunk := int(min(size-int64(len(buf)), 1<<20))
		buf = slices.Grow(buf, chunk)
		n, err := io.ReadFull(r, buf[len(buf):len(buf)+chunk])
		buf = buf[:len(buf)+n]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}
