package planfile

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"

	"territoria/engine"
)

func accountSeeds() [][]byte {
	return [][]byte{
		encodeAccounts(nil),
		encodeAccounts(genPlan(40, genSize{Accounts: 1, Months: 3}).Accounts),
		encodeAccounts(genPlan(41, genSize{Accounts: 60, Months: 12, Varied: true}).Accounts),
		encodeAccounts([]engine.Account{{ID: "x", Potential: math.NaN(), Attrs: map[string]float64{"": math.Inf(1)}}}),
	}
}

func TestAccountCodecRoundTrip(t *testing.T) {
	cases := []struct {
		name  string
		accts []engine.Account
	}{
		{"none", nil},
		{"zero values", []engine.Account{{ID: "a"}, {}}},
		{"nine for the bitset", genPlan(42, genSize{Accounts: 9, Months: 2, Varied: true}).Accounts},
		{"varied", genPlan(43, genSize{Accounts: 500, Months: 24, Varied: true}).Accounts},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i := range c.accts {
				c.accts[i].Unit = engine.NoIndex
			}
			got, err := decodeAccounts(encodeAccounts(c.accts))
			if err != nil {
				t.Fatal(err)
			}
			if len(c.accts) == 0 && len(got) == 0 {
				return
			}
			if !reflect.DeepEqual(got, c.accts) {
				t.Fatalf("got %+v\nwant %+v", got, c.accts)
			}
		})
	}
}

func TestDecodeAccountsErrors(t *testing.T) {
	valid := encodeAccounts(genPlan(44, genSize{Accounts: 12, Months: 4, Varied: true}).Accounts)
	one := encodeAccounts([]engine.Account{{ID: "a", Tier: "A"}})
	with := func(b []byte, at int, v byte) []byte {
		c := append([]byte(nil), b...)
		c[at] = v
		return c
	}
	// one: version, n=1, id len 1, name len 0, "a", tier dict (1, len 1, "A"),
	// index 0, industry dict (1, len 0), index 0, size dict (1, 0), 0, 16 bytes
	// of location, then the approx bitset at offset 31.
	cases := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"unknown codec version", with(valid, 0, 9)},
		{"trailing byte", append(append([]byte(nil), valid...), 0)},
		{"huge count", []byte{accountCodec, 0xff, 0xff, 0xff, 0xff, 0x0f}},
		{"count larger than the data", []byte{accountCodec, 100, 1, 1, 1}},
		{"varint overflow", append([]byte{accountCodec}, bytes.Repeat([]byte{0xff}, 11)...)},
		{"tier index outside its dictionary", with(one, 8, 1)},
		{"empty dictionary with accounts", with(one, 5, 0)},
		{"stray approx bits", with(one, 15+16, 0x80)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := decodeAccounts(c.data); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
		})
	}
	t.Run("every prefix", func(t *testing.T) {
		for n := 0; n < len(valid); n++ {
			if _, err := decodeAccounts(valid[:n]); err == nil {
				t.Fatalf("prefix of %d of %d bytes decoded without error", n, len(valid))
			}
		}
	})
}

// FuzzDecodeAccounts checks that the chunk decoder never panics and that
// whatever it accepts survives another encode/decode unchanged.
func FuzzDecodeAccounts(f *testing.F) {
	for _, s := range accountSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		accts, err := decodeAccounts(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		n, err := accountChunkLen(data)
		if err != nil || n != len(accts) {
			t.Fatalf("accountChunkLen = %d, %v; decoded %d", n, err, len(accts))
		}
		enc := encodeAccounts(accts)
		again, err := decodeAccounts(enc)
		if err != nil {
			t.Fatalf("re-encoded chunk does not decode: %v", err)
		}
		if !bytes.Equal(encodeAccounts(again), enc) {
			t.Fatal("decode/encode is not stable")
		}
	})
}

// FuzzDecodeRecords runs the other decoders over arbitrary bytes.
func FuzzDecodeRecords(f *testing.F) {
	p := genPlan(45, genSize{Accounts: 1, Units: 3, Territories: 2, Months: 1, Varied: true})
	f.Add(encodeUnits(p.Units))
	f.Add(encodeReps(p.Reps))
	f.Add(encodeBorders(p.Borders))
	f.Add(encodeTerritory(territoryRecord{Order: 3, T: p.Scenarios[0].Territories[3]}))
	f.Add(encodeScenario(scenarioRecord{Order: 2, Name: "x"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if u, err := decodeUnits(data); err == nil {
			if _, err := decodeUnits(encodeUnits(u)); err != nil {
				t.Fatalf("units: %v", err)
			}
		}
		if r, err := decodeReps(data); err == nil {
			if _, err := decodeReps(encodeReps(r)); err != nil {
				t.Fatalf("reps: %v", err)
			}
		}
		if b, err := decodeBorders(data); err == nil {
			if _, err := decodeBorders(encodeBorders(b)); err != nil {
				t.Fatalf("borders: %v", err)
			}
		}
		if r, err := decodeTerritory("t", data); err == nil {
			if _, err := decodeTerritory("t", encodeTerritory(r)); err != nil {
				t.Fatalf("territory: %v", err)
			}
		}
		_, _ = decodeScenario("s", data)
		_, _ = readMetaBytes(data)
	})
}

// readMetaBytes decodes data as each integer meta value.
func readMetaBytes(data []byte) (int64, error) {
	d := decoder{b: data}
	v := d.varint()
	d.end("x")
	return v, d.err
}
