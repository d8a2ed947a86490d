package export

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// wgs84PRJ is the .prj of longitude/latitude on WGS 84 (EPSG:4326), in the
// ESRI form every reader accepts.
const wgs84PRJ = `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`

// WriteShapefile writes the scenario as a zip archive holding one
// Shapefile per layer (territories.shp, districts.shp, regions.shp,
// areas.shp, accounts.shp, each with .shx, .dbf, .prj and .cpg).
// Attributes are UTF-8 (the .cpg says so); names longer than ten
// characters are shortened (lifetimeValue → ltv, workloadHours →
// workload_h ...). Polygons follow the Shapefile convention: outer rings
// clockwise, holes counterclockwise.
func WriteShapefile(path string, d *Data, o *GISOptions) (GISResult, error) {
	if err := d.check(); err != nil {
		return GISResult{}, err
	}
	if o == nil {
		o = &GISOptions{}
	}
	layers, notes, err := gisLayers(d, o)
	if err != nil {
		return GISResult{}, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".shp-*")
	if err != nil {
		tmp, err = os.MkdirTemp("", "territoria-shp-*")
		if err != nil {
			return GISResult{}, errf(path, err)
		}
	}
	defer os.RemoveAll(tmp)
	res := GISResult{Layers: map[string]int{}, Notes: notes}
	var files []string
	for _, l := range layers {
		fs, err := writeShapeLayer(tmp, l, o, d.Now)
		if err != nil {
			return GISResult{}, errf(path, err)
		}
		files = append(files, fs...)
		res.Layers[l.name] = l.n
	}
	err = writeAtomic(path, func(w io.Writer) error {
		zw := zip.NewWriter(w)
		for _, name := range files {
			if err := o.cancelled(); err != nil {
				return err
			}
			f, err := os.Open(filepath.Join(tmp, name))
			if err != nil {
				return err
			}
			zf, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: d.Now})
			if err == nil {
				_, err = io.Copy(zf, f)
			}
			f.Close()
			if err != nil {
				return err
			}
		}
		return zw.Close()
	})
	if err != nil {
		return GISResult{}, err
	}
	o.progress("done", 1, 1)
	return res, nil
}

// Shape types.
const (
	shpNull    = 0
	shpPoint   = 1
	shpPolygon = 5
)

// writeShapeLayer writes layer l as l.name.{shp,shx,dbf,prj,cpg} in dir and
// returns the file names.
func writeShapeLayer(dir string, l *layer, o *GISOptions, now time.Time) ([]string, error) {
	base := l.name
	names := []string{base + ".shp", base + ".shx", base + ".dbf", base + ".prj", base + ".cpg"}
	if err := os.WriteFile(filepath.Join(dir, names[3]), []byte(wgs84PRJ), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, names[4]), []byte("UTF-8"), 0o644); err != nil {
		return nil, err
	}

	// First pass: text widths, numeric widths and the bounding box.
	widths := make([]int, len(l.fields))
	for k := range widths {
		widths[k] = 1
	}
	bound := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	var vals []any
	var g orb.Geometry
	for i := 0; i < l.n; i++ {
		if err := o.tick(l.name, i, 2*l.n); err != nil {
			return nil, err
		}
		g, vals = l.feature(i, vals)
		for k, f := range l.fields {
			if f.typ == fText {
				if n := len(clip(vals[k].(string), 254)); n > widths[k] {
					widths[k] = n
				}
			}
		}
		if g != nil {
			b := g.Bound()
			if !isEmptyGeom(g) {
				bound = bound.Union(b)
			}
		}
	}
	if l.n == 0 || math.IsInf(bound.Min[0], 0) {
		bound = orb.Bound{}
	}
	for k, f := range l.fields {
		switch f.typ {
		case fInt:
			widths[k] = 10
		case fReal:
			widths[k] = 24
		}
	}

	shpF, err := os.Create(filepath.Join(dir, names[0]))
	if err != nil {
		return nil, err
	}
	defer shpF.Close()
	shxF, err := os.Create(filepath.Join(dir, names[1]))
	if err != nil {
		return nil, err
	}
	defer shxF.Close()
	dbfF, err := os.Create(filepath.Join(dir, names[2]))
	if err != nil {
		return nil, err
	}
	defer dbfF.Close()
	shp, shx, dbf := bufio.NewWriterSize(shpF, 1<<16), bufio.NewWriterSize(shxF, 1<<15), bufio.NewWriterSize(dbfF, 1<<16)

	shapeType := shpPoint
	if l.polygon {
		shapeType = shpPolygon
	}
	// Headers get the lengths at the end; write placeholders now.
	if _, err := shp.Write(make([]byte, 100)); err != nil {
		return nil, err
	}
	if _, err := shx.Write(make([]byte, 100)); err != nil {
		return nil, err
	}
	recSize := 1
	for _, w := range widths {
		recSize += w
	}
	if err := writeDBFHeader(dbf, l.fields, widths, l.n, recSize, now); err != nil {
		return nil, err
	}

	offset := 50 // in 16-bit words
	rec := make([]byte, 0, 256)
	row := make([]byte, recSize)
	for i := 0; i < l.n; i++ {
		if err := o.tick(l.name, l.n+i, 2*l.n); err != nil {
			return nil, err
		}
		g, vals = l.feature(i, vals)
		rec = shapeRecord(rec[:0], g, l.polygon)
		var hdr [8]byte
		binary.BigEndian.PutUint32(hdr[0:], uint32(i+1))
		binary.BigEndian.PutUint32(hdr[4:], uint32(len(rec)/2))
		shp.Write(hdr[:])
		if _, err := shp.Write(rec); err != nil {
			return nil, err
		}
		var ix [8]byte
		binary.BigEndian.PutUint32(ix[0:], uint32(offset))
		binary.BigEndian.PutUint32(ix[4:], uint32(len(rec)/2))
		if _, err := shx.Write(ix[:]); err != nil {
			return nil, err
		}
		offset += 4 + len(rec)/2
		if offset > math.MaxInt32/2 {
			return nil, fmt.Errorf("layer %s is larger than a Shapefile can hold (2 GB)", l.name)
		}
		dbfRecord(row, l.fields, widths, vals)
		if _, err := dbf.Write(row); err != nil {
			return nil, err
		}
	}
	if err := dbf.WriteByte(0x1A); err != nil {
		return nil, err
	}
	for _, w := range []*bufio.Writer{shp, shx, dbf} {
		if err := w.Flush(); err != nil {
			return nil, err
		}
	}
	if _, err := shpF.WriteAt(shpHeader(shapeType, offset, bound), 0); err != nil {
		return nil, err
	}
	if _, err := shxF.WriteAt(shpHeader(shapeType, 50+4*l.n, bound), 0); err != nil {
		return nil, err
	}
	for _, f := range []*os.File{shpF, shxF, dbfF} {
		if err := f.Close(); err != nil {
			return nil, err
		}
	}
	return names, nil
}

func isEmptyGeom(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.MultiPolygon:
		return len(g) == 0
	case orb.Polygon:
		return len(g) == 0
	}
	return g == nil
}

// shpHeader is the 100-byte header of a .shp or .shx file of the given
// length in 16-bit words.
func shpHeader(shapeType, words int, b orb.Bound) []byte {
	h := make([]byte, 100)
	binary.BigEndian.PutUint32(h[0:], 9994)
	binary.BigEndian.PutUint32(h[24:], uint32(words))
	binary.LittleEndian.PutUint32(h[28:], 1000)
	binary.LittleEndian.PutUint32(h[32:], uint32(shapeType))
	for i, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		binary.LittleEndian.PutUint64(h[36+8*i:], math.Float64bits(v))
	}
	return h
}

func putF64(b []byte, v float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

func putI32(b []byte, v int) []byte { return binary.LittleEndian.AppendUint32(b, uint32(int32(v))) }

// shapeRecord encodes the content of one record: a point, a polygon with
// every ring as a part (outer rings clockwise, holes counterclockwise), or
// a null shape.
func shapeRecord(b []byte, g orb.Geometry, polygon bool) []byte {
	if !polygon {
		pt, ok := g.(orb.Point)
		if !ok {
			return putI32(b, shpNull)
		}
		b = putI32(b, shpPoint)
		b = putF64(b, pt[0])
		return putF64(b, pt[1])
	}
	var rings []orb.Ring
	add := func(p orb.Polygon) {
		for k, r := range p {
			if len(r) < 4 {
				continue
			}
			c := append(orb.Ring(nil), r...)
			if c[0] != c[len(c)-1] {
				c = append(c, c[0])
			}
			// Shapefile: outer rings clockwise, holes counterclockwise.
			if o := c.Orientation(); (k == 0 && o == orb.CCW) || (k > 0 && o == orb.CW) {
				c.Reverse()
			}
			rings = append(rings, c)
		}
	}
	switch g := g.(type) {
	case orb.Polygon:
		add(g)
	case orb.MultiPolygon:
		for _, p := range g {
			add(p)
		}
	}
	if len(rings) == 0 {
		return putI32(b, shpNull)
	}
	bd := rings[0].Bound()
	n := 0
	for _, r := range rings {
		bd = bd.Union(r.Bound())
		n += len(r)
	}
	b = putI32(b, shpPolygon)
	for _, v := range []float64{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]} {
		b = putF64(b, v)
	}
	b = putI32(b, len(rings))
	b = putI32(b, n)
	start := 0
	for _, r := range rings {
		b = putI32(b, start)
		start += len(r)
	}
	for _, r := range rings {
		for _, p := range r {
			b = putF64(b, p[0])
			b = putF64(b, p[1])
		}
	}
	return b
}

// writeDBFHeader writes a dBase III header: the record count, the header
// and record sizes and one descriptor per field.
func writeDBFHeader(w io.Writer, fields []field, widths []int, n, recSize int, now time.Time) error {
	if len(fields) > 255 {
		return fmt.Errorf("%d attributes; a .dbf holds at most 255", len(fields))
	}
	h := make([]byte, 32, 32+32*len(fields)+1)
	h[0] = 0x03
	if now.IsZero() {
		now = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	h[1], h[2], h[3] = byte(now.Year()-1900), byte(now.Month()), byte(now.Day())
	binary.LittleEndian.PutUint32(h[4:], uint32(n))
	binary.LittleEndian.PutUint16(h[8:], uint16(32+32*len(fields)+1))
	binary.LittleEndian.PutUint16(h[10:], uint16(recSize))
	for k, f := range fields {
		var fd [32]byte
		copy(fd[:10], f.short)
		switch f.typ {
		case fText:
			fd[11] = 'C'
		default:
			fd[11] = 'N'
		}
		fd[16] = byte(widths[k])
		if f.typ == fReal {
			fd[17] = 6
		}
		h = append(h, fd[:]...)
	}
	h = append(h, 0x0D)
	_, err := w.Write(h)
	return err
}

// dbfRecord fills row with one record: text left-aligned and space-padded,
// numbers right-aligned; a missing number is blank.
func dbfRecord(row []byte, fields []field, widths []int, vals []any) {
	for i := range row {
		row[i] = ' '
	}
	pos := 1
	for k, f := range fields {
		w := widths[k]
		cell := row[pos : pos+w]
		switch f.typ {
		case fText:
			copy(cell, clip(vals[k].(string), w))
		case fInt:
			var s []byte
			switch v := vals[k].(type) {
			case int:
				s = strconv.AppendInt(nil, int64(v), 10)
			case float64:
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					s = strconv.AppendInt(nil, int64(math.Round(v)), 10)
				}
			}
			if len(s) <= w {
				copy(cell[w-len(s):], s)
			}
		case fReal:
			var s []byte
			if v, ok := vals[k].(float64); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
				s = strconv.AppendFloat(nil, v, 'f', 6, 64)
			}
			if len(s) <= w {
				copy(cell[w-len(s):], s)
			}
		}
		pos += w
	}
}

// clip cuts s to at most n bytes at a character boundary.
func clip(s string, n int) string {
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // invalid bytes → U+FFFD
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
