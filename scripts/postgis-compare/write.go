package main

import (
	"bufio"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"territoria/engine"
)

// writeFile writes path through a buffer and reports the first error.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// appendCoord appends x in the shortest decimal form that parses back to
// the same float64 (PostgreSQL's float8 and PostGIS's WKT readers both
// round correctly, so the database tests the very same coordinates).
func appendCoord(b []byte, x float64) []byte { return strconv.AppendFloat(b, x, 'f', -1, 64) }

// writeAccounts writes "id,lon,lat" rows.
func (w *world) writeAccounts(out io.Writer) error {
	b := []byte("id,lon,lat\n")
	for i, pt := range w.accounts {
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		b = appendCoord(b, pt[0])
		b = append(b, ',')
		b = appendCoord(b, pt[1])
		b = append(b, '\n')
		if len(b) > 1<<16 {
			if _, err := out.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	_, err := out.Write(b)
	return err
}

// writeTerritories writes "id,name,geom" rows, geom as quoted EWKT in
// SRID 4326.
func (w *world) writeTerritories(out io.Writer) error {
	if _, err := io.WriteString(out, "id,name,geom\n"); err != nil {
		return err
	}
	var b []byte
	for t, poly := range w.polys {
		b = strconv.AppendInt(b[:0], int64(t), 10)
		b = append(b, ',')
		b = append(b, territoryName(t)...)
		b = append(b, `,"`...)
		b = appendEWKT(b, poly)
		b = append(b, "\"\n"...)
		if _, err := out.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// appendEWKT appends poly as EWKT in SRID 4326 with exact coordinates.
func appendEWKT(b []byte, poly orb.Polygon) []byte {
	b = append(b, "SRID=4326;POLYGON("...)
	for i, r := range poly {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '(')
		for k, pt := range r {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendCoord(b, pt[0])
			b = append(b, ' ')
			b = appendCoord(b, pt[1])
		}
		b = append(b, ')')
	}
	return append(b, ')')
}

// writeAssignment writes "id,territory,kind,exact" rows: the engine's
// territory index of every account (empty for none), how it was placed, and
// the exact side of its border segment (empty when none).
func (w *world) writeAssignment(out io.Writer, terr []int32) error {
	b := []byte("id,territory,kind,exact\n")
	for i, t := range terr {
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		if t != engine.NoIndex {
			b = strconv.AppendInt(b, int64(t), 10)
		}
		b = append(b, ',')
		b = append(b, kindNames[w.kinds[i]]...)
		b = append(b, ',')
		if x := w.exact[i]; x != engine.NoIndex {
			b = strconv.AppendInt(b, int64(x), 10)
		}
		b = append(b, '\n')
		if len(b) > 1<<16 {
			if _, err := out.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	_, err := out.Write(b)
	return err
}

// countsMD5 returns the MD5 (hex) of one "territory,count\n" line per
// territory holding accounts, in territory order. The database computes the
// same string from its own assignment.
func countsMD5(terr []int32, territories int) string {
	counts := make([]int, territories)
	for _, t := range terr {
		if t != engine.NoIndex {
			counts[t]++
		}
	}
	h := md5.New()
	var b []byte
	for t, n := range counts {
		if n == 0 {
			continue
		}
		b = strconv.AppendInt(b[:0], int64(t), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, '\n')
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// wkbMD5 returns the MD5 (hex) of the geometries as little-endian WKB,
// concatenated in order: what PostGIS gives for md5 of the string_agg of
// ST_AsBinary(geom, 'NDR') ordered by id.
func wkbMD5[G orb.Geometry](gs []G) (string, error) {
	h := md5.New()
	for i, g := range gs {
		b, err := wkb.Marshal(g, binary.LittleEndian)
		if err != nil {
			return "", fmt.Errorf("geometry %d: %w", i, err)
		}
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
