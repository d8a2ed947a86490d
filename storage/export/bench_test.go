package export

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"territoria/engine/assign"
)

// bigFixture is the fixture with n accounts spread over its units.
func bigFixture(b *testing.B, n int) *Data {
	d := fixture(b, "en")
	p := d.Plan
	rng := rand.New(rand.NewPCG(1, 2))
	src := p.Accounts
	for i := len(src); i < n; i++ {
		a := src[i%len(src)]
		a.ID = fmt.Sprintf("B%07d", i)
		a.Name = fmt.Sprintf("Account %d", i)
		a.Loc[0] = 116 + 3*rng.Float64()
		a.Loc[1] = 39 + 2*rng.Float64()
		p.Accounts = append(p.Accounts, a)
	}
	for _, sc := range p.Scenarios {
		sc.AccountTerritory = nil
	}
	assign.LocateAccounts(p)
	cur := side(b, p, p.Scenarios[0])
	base := side(b, p, p.Scenarios[1])
	d.Current, d.Baseline = cur, &base
	return d
}

func benchWrite(b *testing.B, n int, write func(d *Data, path string) error, name string) {
	d := bigFixture(b, n)
	path := filepath.Join(b.TempDir(), name)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := write(d, path); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "accounts")
}

func BenchmarkWriteXLSX100k(b *testing.B) {
	benchWrite(b, 100_000, func(d *Data, p string) error { return WriteXLSX(p, d, nil) }, "plan.xlsx")
}

func BenchmarkWriteCSV100k(b *testing.B) {
	benchWrite(b, 100_000, func(d *Data, p string) error { _, err := WriteCSV(p, d, nil); return err }, "tables")
}

func BenchmarkWriteGeoJSON100k(b *testing.B) {
	benchWrite(b, 100_000, func(d *Data, p string) error { _, err := WriteGeoJSON(p, d, nil); return err }, "plan.geojson")
}

func BenchmarkWriteShapefile100k(b *testing.B) {
	benchWrite(b, 100_000, func(d *Data, p string) error { _, err := WriteShapefile(p, d, nil); return err }, "plan.zip")
}
