package gisfile

import (
	"bytes"
	"fmt"
	"math/rand"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
)

func BenchmarkReadCountiesTopoJSON(b *testing.B) {
	countiesGeoJSON(b) // skips without us-atlas
	b.ReportAllocs()
	for b.Loop() {
		read(b, countiesPath, Options{})
	}
}

func BenchmarkReadCountiesGeoJSON(b *testing.B) {
	p := countiesGeoJSON(b)
	b.ReportAllocs()
	for b.Loop() {
		read(b, p, Options{})
	}
}

// BenchmarkBuildUnitsCountiesGeoJSON repairs the 3,231 counties, computes
// areas and label points, and finds their borders by shared edges.
func BenchmarkBuildUnitsCountiesGeoJSON(b *testing.B) {
	l := read(b, countiesGeoJSON(b), Options{})
	b.ReportAllocs()
	for b.Loop() {
		build(b, l, UnitOptions{})
	}
}

func BenchmarkBuildUnitsCountiesTopoJSON(b *testing.B) {
	countiesGeoJSON(b)
	l := read(b, countiesPath, Options{})
	b.ReportAllocs()
	for b.Loop() {
		build(b, l, UnitOptions{})
	}
}

func BenchmarkBordersCounties(b *testing.B) {
	l := read(b, countiesGeoJSON(b), Options{})
	geoms := make([]orb.MultiPolygon, len(l.Features))
	for i, f := range l.Features {
		geoms[i] = f.Geom
	}
	b.ReportAllocs()
	for b.Loop() {
		Borders(geoms, 0)
	}
}

func BenchmarkReadZippedShapefile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		read(b, "testdata/ct_ri_counties.zip", Options{})
	}
}

// gridLayer writes a GeoJSON layer of n×n cells of a jittered grid (each
// side of a cell a shared 8-point line, so neighbours share their
// vertices, as in a real administrative layer) and returns its path.
func gridLayer(b *testing.B, n int) string {
	b.Helper()
	const per = 8
	rnd := rand.New(rand.NewSource(1))
	node := make([][]orb.Point, n+1)
	for i := range node {
		node[i] = make([]orb.Point, n+1)
		for j := range node[i] {
			node[i][j] = orb.Point{float64(i)*0.01 + rnd.Float64()*0.003, float64(j)*0.01 + rnd.Float64()*0.003}
		}
	}
	// sides[d][i][j]: the points from node (i, j) towards (i+1, j) (d = 0)
	// or (i, j+1) (d = 1), without the end node.
	var sides [2][][][]orb.Point
	for d := range sides {
		sides[d] = make([][][]orb.Point, n+1)
		for i := 0; i <= n; i++ {
			sides[d][i] = make([][]orb.Point, n+1)
			for j := 0; j <= n; j++ {
				i2, j2 := i+1-d, j+d
				if i2 > n || j2 > n {
					continue
				}
				a, c := node[i][j], node[i2][j2]
				line := []orb.Point{a}
				for k := 1; k < per; k++ {
					t := float64(k) / per
					line = append(line, orb.Point{a[0] + t*(c[0]-a[0]) + rnd.Float64()*1e-4, a[1] + t*(c[1]-a[1]) + rnd.Float64()*1e-4})
				}
				sides[d][i][j] = line
			}
		}
	}
	backwards := func(line []orb.Point, end orb.Point) []orb.Point {
		out := []orb.Point{end}
		for k := len(line) - 1; k >= 1; k-- {
			out = append(out, line[k])
		}
		return out
	}
	var buf bytes.Buffer
	buf.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			ring := append([]orb.Point{}, sides[0][i][j]...)                    // bottom, eastwards
			ring = append(ring, sides[1][i+1][j]...)                            // right, northwards
			ring = append(ring, backwards(sides[0][i][j+1], node[i+1][j+1])...) // top, westwards
			ring = append(ring, backwards(sides[1][i][j], node[i][j+1])...)     // left, southwards
			ring = append(ring, ring[0])
			if i+j > 0 {
				buf.WriteByte(',')
			}
			fmt.Fprintf(&buf, `{"type":"Feature","properties":{"GEOID":"%05d","NAME":"Cell %d"},"geometry":{"type":"Polygon","coordinates":[[`, i*n+j, i*n+j)
			for k, p := range ring {
				if k > 0 {
					buf.WriteByte(',')
				}
				buf.WriteByte('[')
				buf.WriteString(strconv.FormatFloat(p[0], 'f', 7, 64))
				buf.WriteByte(',')
				buf.WriteString(strconv.FormatFloat(p[1], 'f', 7, 64))
				buf.WriteByte(']')
			}
			buf.WriteString("]]}}")
		}
	}
	buf.WriteString("]}")
	return writeFile(b, "grid.geojson", buf.Bytes())
}

// BenchmarkGrid40k reads and builds 40,000 units with 1.3 million
// vertices, the size of a national ZIP code layer.
func BenchmarkGrid40k(b *testing.B) {
	p := gridLayer(b, 200)
	b.ReportAllocs()
	for b.Loop() {
		l := read(b, p, Options{})
		us := build(b, l, UnitOptions{})
		if len(us.Units) != 40000 || len(us.Units[200*100+100].Neighbors) != 4 {
			b.Fatalf("%d units; a middle cell has %d neighbours", len(us.Units), len(us.Units[200*100+100].Neighbors))
		}
	}
}
