package gisfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"

	"territoria/storage/geo"
)

// Format names a kind of boundary file.
type Format string

// The formats Read understands.
const (
	FormatGeoJSON   Format = "geojson"
	FormatTopoJSON  Format = "topojson"
	FormatKML       Format = "kml"
	FormatShapefile Format = "shapefile"
)

// Coordinate reference systems a layer may come in. Layers are always
// returned in CRS4326.
const (
	CRS4326 = "EPSG:4326"
	CRS3857 = "EPSG:3857"
)

// Feature is one polygon feature of a boundary file.
type Feature struct {
	// Number is the 1-based position of the feature in the file (the record
	// number of a Shapefile, the index in a FeatureCollection, the order of
	// Placemarks in a KML document, the geometry of a TopoJSON object).
	Number int
	// ID is the feature's own identifier where the format has one (a
	// GeoJSON or TopoJSON "id", a KML Placemark's id attribute), else "".
	ID string
	// Name is a KML Placemark's name, else "".
	Name string
	// Properties holds the attributes: string, float64, bool or nil values.
	// GeoJSON values that are objects or arrays are kept as their JSON text.
	Properties map[string]any
	// Geom is the geometry in WGS-84 longitude/latitude, as the file has it
	// (not repaired).
	Geom orb.MultiPolygon
}

// Problem is a feature that was skipped, or something about a feature or a
// unit worth telling the user.
type Problem struct {
	// Feature is the 1-based feature number in the file (0 for the file as a whole).
	Feature int
	// ID is the feature's or unit's id, where known.
	ID string
	// Field is the attribute concerned, where one is.
	Field string
	// Code is a stable key for the kind of problem (the Code constants).
	Code string
	// Message says what is wrong, in plain words.
	Message string
}

// Problem codes. The first group leaves a feature out; CodeRepaired and
// CodeMerged describe features that were kept.
const (
	CodeNotPolygon  = "not-polygon"  // a point, line or other geometry without area
	CodeNoGeometry  = "no-geometry"  // a null or empty geometry
	CodeBadGeometry = "bad-geometry" // coordinates that cannot be read
	CodeOutOfRange  = "out-of-range" // positions outside the range of longitude/latitude
	CodeBadFeature  = "bad-feature"  // not a feature, or unreadable attributes
	CodeDeleted     = "deleted"      // a record marked deleted in a .dbf file
	CodeNoID        = "no-id"        // no value in the id field
	CodeNoArea      = "no-area"      // nothing with area is left after repair
	CodeRepaired    = "repaired"     // an invalid polygon, repaired and kept
	CodeMerged      = "merged"       // joined with an earlier feature of the same id
)

// Rejected reports whether the problem left the feature out.
func (p Problem) Rejected() bool { return p.Code != CodeRepaired && p.Code != CodeMerged }

// String returns "feature N (id): message".
func (p Problem) String() string {
	var b strings.Builder
	if p.Feature > 0 {
		fmt.Fprintf(&b, "feature %d", p.Feature)
		if p.ID != "" {
			fmt.Fprintf(&b, " (%s)", p.ID)
		}
		b.WriteString(": ")
	} else if p.ID != "" {
		fmt.Fprintf(&b, "%s: ", p.ID)
	}
	if p.Field != "" {
		fmt.Fprintf(&b, "field %s: ", p.Field)
	}
	b.WriteString(p.Message)
	return b.String()
}

// Layer is what Read returns: the polygon features of one boundary file.
type Layer struct {
	// Path is the file read.
	Path string
	// Format is the kind of file.
	Format Format
	// Name is the layer inside the file: the TopoJSON object or the
	// Shapefile member of a zip; "" otherwise.
	Name string
	// CRS is the coordinate system of the file (CRS4326 or CRS3857); the
	// features are always in CRS4326. CRSFrom says how it was found: "prj",
	// "crs member", "coordinates" or "default".
	CRS, CRSFrom string
	// Encoding is the text encoding of a Shapefile's attributes, "" for the
	// other formats (which are UTF-8).
	Encoding string
	// Fields lists the attribute names in the order first seen.
	Fields []string
	// Features holds the polygon features, in file order.
	Features []Feature
	// Skipped lists the features left out, and why.
	Skipped []Problem
	// Notes tells about the file as a whole (a datum taken as WGS-84, an
	// encoding guessed).
	Notes []string
	// Topology and TopoGeoms are set for TopoJSON: TopoGeoms[i] is the
	// geometry of Features[i], so that borders can follow the shared arcs.
	Topology  *geo.Topology
	TopoGeoms []*geo.Geometry
}

// Limits bound what a reader accepts, so that a hostile or broken file
// fails cleanly instead of exhausting memory.
type Limits struct {
	// MaxBytes bounds the bytes read from one file or archive member
	// (after decompression).
	MaxBytes int64
	// MaxFeatures bounds the number of features.
	MaxFeatures int
	// MaxPoints bounds the number of positions over all features.
	MaxPoints int
	// MaxMembers bounds the number of entries in a zip archive.
	MaxMembers int
}

// DefaultLimits are used for every zero field of Options.Limits: 2 GiB per
// file, a million features, 40 million positions (640 MB of coordinates)
// and 10,000 zip entries.
var DefaultLimits = Limits{MaxBytes: 2 << 30, MaxFeatures: 1 << 20, MaxPoints: 40_000_000, MaxMembers: 10_000}

// Options configure Read.
type Options struct {
	// Layer picks the TopoJSON object or the Shapefile inside a zip by name
	// (without extension). "" picks the TopoJSON object with the most
	// polygons, or the only Shapefile of a zip.
	Layer string
	// Limits bound the input; zero fields take DefaultLimits.
	Limits Limits
	// Progress, when set, is called now and then with the number of
	// features read so far.
	Progress func(features int)
}

func (o *Options) limits() Limits {
	l := o.Limits
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxFeatures <= 0 {
		l.MaxFeatures = DefaultLimits.MaxFeatures
	}
	if l.MaxPoints <= 0 {
		l.MaxPoints = DefaultLimits.MaxPoints
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = DefaultLimits.MaxMembers
	}
	return l
}

// ErrFormat is wrapped by the errors for files that are not a boundary
// file this package reads (unknown, renamed or damaged). Check with errors.Is.
var ErrFormat = errors.New("not a readable boundary file")

// ErrTooLarge is wrapped by the errors for inputs over a limit.
var ErrTooLarge = errors.New("over the size limit")

// Read reads the boundary file at path. The format follows from the
// content: JSON (GeoJSON or TopoJSON), XML (KML), a zip archive (zipped
// Shapefile or KMZ) or a .shp main file; the extension only decides
// between formats the content cannot tell apart. ctx cancels the read.
func Read(ctx context.Context, path string, opts Options) (*Layer, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".dbf", ".shx", ".prj", ".cpg", ".sbn", ".sbx":
		// A side file of a Shapefile: read the Shapefile.
		stem := strings.TrimSuffix(path, filepath.Ext(path))
		for _, ext := range []string{".shp", ".SHP"} {
			if _, err := os.Stat(stem + ext); err == nil {
				path = stem + ext
				break
			}
		}
	}
	base := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s: %w: it is a folder", base, ErrFormat)
	}
	if info.Size() == 0 {
		return nil, fmt.Errorf("%s: %w: the file is empty", base, ErrFormat)
	}
	lim := opts.limits()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("%s: %w", base, err)
	}
	head = head[:n]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	var l *Layer
	switch kind := sniff(head); kind {
	case "zip":
		l, err = readZip(ctx, f, info.Size(), base, opts, lim)
	case "shp":
		l, err = readShapefilePath(ctx, path, opts, lim)
	case "json":
		l, err = readJSON(ctx, f, base, opts, lim)
	case "xml":
		l, err = ReadKML(ctx, f, base, opts)
	default:
		return nil, fmt.Errorf("%s: %w: %s", base, ErrFormat, kind)
	}
	if err != nil {
		return nil, err
	}
	l.Path = path
	return l, nil
}

// readJSON reads a GeoJSON document, or a TopoJSON topology when the
// document says it is one.
func readJSON(ctx context.Context, r io.ReadSeeker, name string, opts Options, lim Limits) (*Layer, error) {
	l, err := ReadGeoJSON(ctx, r, name, opts)
	if !errors.Is(err, errTopology) {
		return l, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return ReadTopoJSON(ctx, r, name, opts)
}

// sniff names what the first bytes of a file look like: "zip", "shp",
// "json" or "xml" for what Read handles, or a description of anything else.
func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return "zip"
	case len(head) >= 4 && bytes.Equal(head[:4], []byte{0, 0, 0x27, 0x0a}):
		return "shp"
	}
	for _, m := range []struct{ magic, what string }{
		{"\x1f\x8b", "it is gzip-compressed; unpack it first"},
		{"\x89PNG", "it is a PNG image"},
		{"\xff\xd8\xff", "it is a JPEG image"},
		{"%PDF", "it is a PDF document"},
		{"\xd0\xcf\x11\xe0", "it is an old Office document"},
		{"SQLite format 3", "it is an SQLite database (a GeoPackage?); export the layer as GeoJSON or Shapefile"},
		{"Rar!", "it is a RAR archive; unpack it or zip it instead"},
		{"7z\xbc\xaf", "it is a 7-Zip archive; unpack it or zip it instead"},
		{"\x7fELF", "it is a program"},
		{"MZ", "it is a program"},
	} {
		if bytes.HasPrefix(head, []byte(m.magic)) {
			return m.what
		}
	}
	t := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	t = bytes.TrimLeft(t, " \t\r\n")
	switch {
	case len(t) == 0:
		return "it holds only white space"
	case t[0] == '{' || t[0] == '[':
		return "json"
	case t[0] == '<':
		return "xml"
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return "it is UTF-16 text; save it as UTF-8"
	}
	return "it is neither GeoJSON, TopoJSON, KML nor a Shapefile (nor a zip of one)"
}

// limitedReader reads at most n bytes from r and then fails with an error
// naming the file, rather than returning io.EOF as io.LimitReader does.
type limitedReader struct {
	r    io.Reader
	n    int64
	name string
	read int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.read >= l.n {
		return 0, fmt.Errorf("%s: %w: more than %d bytes", l.name, ErrTooLarge, l.n)
	}
	if int64(len(p)) > l.n-l.read {
		p = p[:l.n-l.read]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}

// counter enforces the feature and position limits while reading.
type counter struct {
	name     string
	lim      Limits
	features int
	points   int
	progress func(int)
}

func (c *counter) feature() error {
	c.features++
	if c.features > c.lim.MaxFeatures {
		return fmt.Errorf("%s: %w: more than %d features", c.name, ErrTooLarge, c.lim.MaxFeatures)
	}
	if c.progress != nil && c.features%1000 == 0 {
		c.progress(c.features)
	}
	return nil
}

func (c *counter) addPoints(mp orb.MultiPolygon) error {
	for _, p := range mp {
		for _, r := range p {
			c.points += len(r)
		}
	}
	if c.points > c.lim.MaxPoints {
		return fmt.Errorf("%s: %w: more than %d positions", c.name, ErrTooLarge, c.lim.MaxPoints)
	}
	return nil
}

// fieldList collects attribute names in the order first seen.
type fieldList struct {
	names []string
	seen  map[string]bool
}

func (f *fieldList) add(keys []string) {
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	for _, k := range keys {
		if !f.seen[k] {
			f.seen[k] = true
			f.names = append(f.names, k)
		}
	}
}
