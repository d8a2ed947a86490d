package export

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/paulmach/orb/geojson"

	"territoria/engine/segment"
)

// withSegments gives the fixture segments in which each class and flag
// occurs: the default Pareto classes, and flags set by hand.
func withSegments(t *testing.T, d *Data) *segment.Result {
	t.Helper()
	seg, err := segment.Classify(d.Plan, segment.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for a := range seg.Flags {
		seg.Flags[a] = segment.Flags(a % 8) // every combination of the three flags
	}
	d.Segments = seg
	return seg
}

// TestXLSXSegments: with the plan's segments, the Accounts sheet gives each
// account its class and flags, and the tier mix counts classes and flags
// per territory.
func TestXLSXSegments(t *testing.T) {
	for _, lang := range []string{"en", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			d := fixture(t, lang)
			seg := withSegments(t, d)
			path := filepath.Join(t.TempDir(), "plan.xlsx")
			if err := WriteXLSX(path, d, nil); err != nil {
				t.Fatal(err)
			}
			f := openXLSX(t, path)
			accSheet, mixSheet := d.tr("Accounts", "客户"), d.tr("Tier mix", "客户分级构成")
			rows, err := f.GetRows(accSheet)
			if err != nil {
				t.Fatal(err)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			yes := d.tr("yes", "是")
			heads := []string{d.tr("Class", "客户类别"), d.tr("Golden", "黄金客户"), d.tr("Sleeping", "沉睡客户"), d.tr("White space", "空白市场")}
			for _, h := range heads {
				if _, ok := col[h]; !ok {
					t.Fatalf("no column %q in %q", h, rows[0])
				}
			}
			byID := map[string]int{}
			for i := range d.Plan.Accounts {
				byID[d.Plan.Accounts[i].ID] = i
			}
			cell := func(r []string, h string) string {
				if i := col[h]; i < len(r) {
					return r[i]
				}
				return ""
			}
			for _, r := range rows[1:] {
				a := byID[r[0]]
				if got := cell(r, heads[0]); got != seg.ClassName(a) {
					t.Errorf("account %s: class %q, want %q", r[0], got, seg.ClassName(a))
				}
				for k, fl := range []segment.Flags{segment.Golden, segment.Sleeping, segment.WhiteSpace} {
					if got, want := cell(r, heads[k+1]) == yes, seg.Flags[a].Has(fl); got != want {
						t.Errorf("account %s: %s %v, want %v", r[0], heads[k+1], got, want)
					}
				}
			}
			// The tier mix: per territory, class counts add up to its accounts, and each count is the brute force's.
			mix, err := f.GetRows(mixSheet)
			if err != nil {
				t.Fatal(err)
			}
			st := d.Current.State
			for _, r := range mix[1:] {
				t0 := st.Node(r[0])
				want := make([]int, len(seg.Classes)+3)
				for a := range d.Plan.Accounts {
					if st.AccountTerr[a] != t0 {
						continue
					}
					want[seg.Class[a]]++
					for k, fl := range []segment.Flags{segment.Golden, segment.Sleeping, segment.WhiteSpace} {
						if seg.Flags[a].Has(fl) {
							want[len(seg.Classes)+k]++
						}
					}
				}
				got := make([]int, 0, len(want))
				for k := range want {
					c := 2 + k
					if k >= len(seg.Classes) {
						c++ // the accounts column comes between the classes and the flags
					}
					n, _ := strconv.Atoi(r[c])
					got = append(got, n)
				}
				for k := range want {
					if got[k] != want[k] {
						t.Errorf("%s %s: %v, want %v (header %q)", mixSheet, r[0], got, want, mix[0])
						break
					}
				}
			}
			if mix[0][2] != d.tr("Class ", "类别 ")+seg.Classes[0] {
				t.Errorf("tier mix header %q", mix[0])
			}
		})
	}
}

// TestGeoJSONSegments: the accounts layer carries each account's class and
// flags when the export has segments, and nothing of the kind without.
func TestGeoJSONSegments(t *testing.T) {
	for _, with := range []bool{true, false} {
		d := fixture(t, "en")
		var seg *segment.Result
		if with {
			seg = withSegments(t, d)
		}
		path := filepath.Join(t.TempDir(), "plan.geojson")
		if _, err := WriteGeoJSON(path, d, nil); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fc, err := geojson.UnmarshalFeatureCollection(raw)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range fc.Features {
			if f.Properties["layer"] != "accounts" {
				continue
			}
			n++
			a := -1
			for i := range d.Plan.Accounts {
				if d.Plan.Accounts[i].ID == f.Properties["id"] {
					a = i
				}
			}
			if !with {
				if _, ok := f.Properties["class"]; ok {
					t.Fatalf("class without segments: %v", f.Properties)
				}
				continue
			}
			flags := segment.Flags(0)
			for k, name := range []string{"golden", "sleeping", "whitespace"} {
				if v, _ := f.Properties[name].(float64); v == 1 {
					flags |= 1 << k
				}
			}
			if f.Properties["class"] != seg.ClassName(a) || flags != seg.Flags[a] {
				t.Errorf("account %v: class %v flags %b, want %q %b", f.Properties["id"], f.Properties["class"], flags, seg.ClassName(a), seg.Flags[a])
			}
		}
		if n != len(d.Plan.Accounts) {
			t.Fatalf("%d accounts in the layer, want %d", n, len(d.Plan.Accounts))
		}
	}
}

// TestRiskShare: the change report's revenue at risk follows the plan's
// disruption share, zero included; without one it is DefaultRiskShare.
func TestRiskShare(t *testing.T) {
	for _, share := range []*float64{nil, ptr(0.3), ptr(0)} {
		d := fixture(t, "en")
		d.RiskShare = share
		moved, err := d.changes(nil)
		if err != nil {
			t.Fatal(err)
		}
		want := DefaultRiskShare
		if share != nil {
			want = *share
		}
		changedRep := 0
		for _, c := range moved {
			if c.fromRep == c.toRep {
				continue
			}
			changedRep++
			if a := &d.Plan.Accounts[c.account]; c.atRisk != want*a.Revenue12() {
				t.Errorf("share %v: account %s at risk %v, want %v", want, a.ID, c.atRisk, want*a.Revenue12())
			}
		}
		if changedRep == 0 {
			t.Fatal("no account changes rep in the fixture")
		}
	}
}

func ptr(v float64) *float64 { return &v }
