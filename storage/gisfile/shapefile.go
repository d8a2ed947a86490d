package gisfile

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// maxSidecar bounds a .prj or .cpg file.
const maxSidecar = 64 << 10

// ShapefileParts are the files of one Shapefile. Shp is read as a stream;
// Dbf (nil when missing), Prj and Cpg ("" when missing) are whole contents.
type ShapefileParts struct {
	Shp io.Reader
	Dbf []byte
	Prj string
	Cpg string
}

// ReadShapefile reads the polygons of a Shapefile and their attributes.
// name is the .shp file's name, for messages. Record i of the .shp goes
// with record i of the .dbf; a record marked deleted in the .dbf, or a null
// shape, is skipped with a problem.
func ReadShapefile(ctx context.Context, parts ShapefileParts, name string, opts Options) (*Layer, error) {
	lim := opts.limits()
	dbfName := strings.TrimSuffix(name, path.Ext(name)) + ".dbf"
	l := &Layer{Format: FormatShapefile, Name: strings.TrimSuffix(path.Base(name), path.Ext(name))}
	var table *dbfTable
	if parts.Dbf != nil {
		var err error
		if table, err = readDBF(parts.Dbf, dbfName, parts.Cpg); err != nil {
			return nil, err
		}
		l.Encoding = table.Encoding
		l.Fields = table.fieldNames()
		if table.Note != "" {
			l.Notes = append(l.Notes, dbfName+": "+table.Note)
		}
	} else {
		l.Notes = append(l.Notes, "there is no .dbf file next to "+name+"; the features have no attributes")
	}
	crs, note, err := crsFromPRJ(parts.Prj)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if note != "" {
		l.Notes = append(l.Notes, note)
	}
	sr, err := newShpReader(&limitedReader{r: parts.Shp, n: lim.MaxBytes, name: name}, name)
	if err != nil {
		return nil, err
	}
	c := &counter{name: name, lim: lim, progress: opts.Progress}
	promoted := 0
	for n := 1; ; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := sr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := c.feature(); err != nil {
			return nil, err
		}
		var props map[string]any
		if table != nil && n <= table.Records {
			var deleted bool
			props, deleted = table.record(n - 1)
			if deleted {
				l.Skipped = append(l.Skipped, Problem{Feature: n, Code: CodeDeleted, Message: "is marked deleted in the .dbf file"})
				continue
			}
		}
		switch {
		case rec.Problem != "":
			l.Skipped = append(l.Skipped, Problem{Feature: n, Code: rec.Code, Message: rec.Problem})
			continue
		case rec.Null:
			l.Skipped = append(l.Skipped, Problem{Feature: n, Code: CodeNoGeometry, Message: "has no geometry (a null shape)"})
			continue
		}
		mp, p := assembleRings(rec.Rings)
		promoted += p
		if err := c.addPoints(mp); err != nil {
			return nil, err
		}
		l.Features = append(l.Features, Feature{Number: n, Properties: props, Geom: mp})
	}
	if table != nil && table.Records != sr.record {
		l.Notes = append(l.Notes, fmt.Sprintf("%s has %d records but %s has %d shapes; records are paired in order", dbfName, table.Records, name, sr.record))
	}
	if promoted > 0 {
		l.Notes = append(l.Notes, fmt.Sprintf("%d holes lay inside no outer ring and became polygons of their own", promoted))
	}
	if sr.record == 0 {
		return nil, fmt.Errorf("%s: the Shapefile holds no shapes", name)
	}
	if crs != "" {
		l.CRS, l.CRSFrom = crs, "prj"
		var skipped []Problem
		l.Features, skipped = toWGS84(l.Features, crs)
		l.Skipped = append(l.Skipped, skipped...)
	} else if err := l.settleCRS(name, ""); err != nil {
		return nil, err
	}
	sort.SliceStable(l.Skipped, func(i, j int) bool { return l.Skipped[i].Feature < l.Skipped[j].Feature })
	return l, nil
}

// readShapefilePath reads a .shp file and the .dbf, .prj and .cpg files
// next to it (the extension's case does not matter).
func readShapefilePath(ctx context.Context, shpPath string, opts Options, lim Limits) (*Layer, error) {
	dir, base := filepath.Split(shpPath)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	entries, err := os.ReadDir(filepath.Clean(dir + "."))
	if err != nil {
		return nil, err
	}
	sibling := map[string]string{}
	for _, e := range entries {
		n := e.Name()
		ext := strings.ToLower(filepath.Ext(n))
		if strings.EqualFold(strings.TrimSuffix(n, filepath.Ext(n)), stem) && !e.IsDir() {
			if _, have := sibling[ext]; !have || strings.TrimSuffix(n, filepath.Ext(n)) == stem {
				sibling[ext] = filepath.Join(dir, n)
			}
		}
	}
	readAll := func(ext string, max int64) ([]byte, error) {
		p, ok := sibling[ext]
		if !ok {
			return nil, nil
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		b, err := io.ReadAll(&limitedReader{r: f, n: max, name: filepath.Base(p)})
		if err != nil {
			return nil, err
		}
		if b == nil {
			b = []byte{}
		}
		return b, nil
	}
	parts := ShapefileParts{}
	if parts.Dbf, err = readAll(".dbf", lim.MaxBytes); err != nil {
		return nil, err
	}
	prj, err := readAll(".prj", maxSidecar)
	if err != nil {
		return nil, err
	}
	cpg, err := readAll(".cpg", maxSidecar)
	if err != nil {
		return nil, err
	}
	parts.Prj, parts.Cpg = string(prj), string(cpg)
	f, err := os.Open(shpPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	parts.Shp = f
	return ReadShapefile(ctx, parts, base, opts)
}

// zip bomb defences: a member may expand at most this much, once it is
// larger than minBombSize.
const (
	maxRatio    = 1000
	minBombSize = 16 << 20
)

// readZip reads a zipped Shapefile, or a KMZ (a zipped KML document).
func readZip(ctx context.Context, r io.ReaderAt, size int64, name string, opts Options, lim Limits) (*Layer, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: the zip archive cannot be read: %v", name, ErrFormat, err)
	}
	if len(zr.File) > lim.MaxMembers {
		return nil, fmt.Errorf("%s: %w: the archive has %d entries, more than %d", name, ErrTooLarge, len(zr.File), lim.MaxMembers)
	}
	var shps, kmls, all []*zip.File
	byLower := map[string]*zip.File{}
	for _, f := range zr.File {
		base := path.Base(f.Name)
		if f.FileInfo().IsDir() || strings.HasPrefix(f.Name, "__MACOSX/") || strings.HasPrefix(base, "._") {
			continue
		}
		all = append(all, f)
		byLower[strings.ToLower(f.Name)] = f
		switch strings.ToLower(path.Ext(f.Name)) {
		case ".shp":
			shps = append(shps, f)
		case ".kml":
			kmls = append(kmls, f)
		}
	}
	stem := func(f *zip.File) string { return strings.TrimSuffix(path.Base(f.Name), path.Ext(f.Name)) }
	pick := func(list []*zip.File, what string) (*zip.File, error) {
		if opts.Layer != "" {
			for _, f := range list {
				if strings.EqualFold(stem(f), opts.Layer) || strings.EqualFold(f.Name, opts.Layer) {
					return f, nil
				}
			}
			return nil, fmt.Errorf("%s: the archive has no %s named %q; it has %s", name, what, opts.Layer, names(list))
		}
		if len(list) == 1 {
			return list[0], nil
		}
		if what == "KML document" {
			for _, f := range list {
				if strings.EqualFold(f.Name, "doc.kml") {
					return f, nil
				}
			}
			return list[0], nil
		}
		return nil, fmt.Errorf("%s: the archive holds %d Shapefiles (%s); choose one", name, len(list), names(list))
	}
	open := func(f *zip.File, max int64) (io.ReadCloser, error) {
		member := name + ": " + f.Name
		if f.UncompressedSize64 > uint64(max) {
			return nil, fmt.Errorf("%s: %w: it expands to %d bytes, more than %d", member, ErrTooLarge, f.UncompressedSize64, max)
		}
		if f.UncompressedSize64 > minBombSize && f.UncompressedSize64/max64(f.CompressedSize64, 1) > maxRatio {
			return nil, fmt.Errorf("%s: %w: it would expand %d times (%d bytes); the archive looks like a zip bomb", member, ErrTooLarge,
				f.UncompressedSize64/max64(f.CompressedSize64, 1), f.UncompressedSize64)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %v", member, ErrFormat, err)
		}
		// The declared size may lie: count what is actually produced too.
		limit := min(int64(f.UncompressedSize64)+1, max)
		return struct {
			io.Reader
			io.Closer
		}{&zipErrors{r: &limitedReader{r: rc, n: limit, name: member}, name: member}, rc}, nil
	}
	readAll := func(f *zip.File, max int64) ([]byte, error) {
		rc, err := open(f, max)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			return nil, err
		}
		if b == nil {
			b = []byte{}
		}
		return b, nil
	}
	if len(shps) == 0 && len(kmls) > 0 {
		k, err := pick(kmls, "KML document")
		if err != nil {
			return nil, err
		}
		rc, err := open(k, lim.MaxBytes)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		l, err := ReadKML(ctx, rc, name+": "+k.Name, opts)
		if err != nil {
			return nil, err
		}
		l.Name = stem(k)
		return l, nil
	}
	if len(shps) == 0 {
		return nil, fmt.Errorf("%s: %w: the zip archive holds no .shp or .kml file (it holds %s)", name, ErrFormat, names(all))
	}
	shp, err := pick(shps, "Shapefile")
	if err != nil {
		return nil, err
	}
	prefix := strings.ToLower(strings.TrimSuffix(shp.Name, path.Ext(shp.Name)))
	member := func(ext string) *zip.File { return byLower[prefix+ext] }
	parts := ShapefileParts{}
	if f := member(".dbf"); f != nil {
		if parts.Dbf, err = readAll(f, lim.MaxBytes); err != nil {
			return nil, err
		}
	}
	for _, s := range []struct {
		ext string
		dst *string
	}{{".prj", &parts.Prj}, {".cpg", &parts.Cpg}} {
		if f := member(s.ext); f != nil {
			b, err := readAll(f, maxSidecar)
			if err != nil {
				return nil, err
			}
			*s.dst = string(b)
		}
	}
	rc, err := open(shp, lim.MaxBytes)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	parts.Shp = rc
	l, err := ReadShapefile(ctx, parts, name+": "+shp.Name, opts)
	if err != nil {
		return nil, err
	}
	l.Name = stem(shp)
	return l, nil
}

// zipErrors names the member in archive/zip's errors (a checksum that does
// not match, a damaged stream).
type zipErrors struct {
	r    io.Reader
	name string
}

func (z *zipErrors) Read(p []byte) (int, error) {
	n, err := z.r.Read(p)
	if err != nil && err != io.EOF && !errors.Is(err, ErrTooLarge) {
		err = fmt.Errorf("%s: %w: the archive member is damaged: %v", z.name, ErrFormat, err)
	}
	return n, err
}

func max64(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

func names(fs []*zip.File) string {
	var out []string
	for i, f := range fs {
		if i == 8 {
			out = append(out, fmt.Sprintf("and %d more", len(fs)-8))
			break
		}
		out = append(out, f.Name)
	}
	if len(out) == 0 {
		return "nothing"
	}
	return strings.Join(out, ", ")
}
