package tabular

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

func benchText(rows int) []byte {
	var b strings.Builder
	b.WriteString("Account ID,Account Name,Longitude,Latitude,Potential,Tier\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "AC%07d,\"Account %d, Inc.\",%.5f,%.5f,%d,%c\n", i, i, -124+float64(i%5700)/100, 25+float64(i%2400)/100, i*7%200000, 'A'+rune(i%3))
	}
	return []byte(b.String())
}

// BenchmarkCSV reads 100,000 rows of a UTF-8 CSV.
func BenchmarkCSV(b *testing.B) {
	p := write(b, "bench.csv", benchText(100000))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := Open(p, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := t.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		t.Close()
	}
}

// BenchmarkXLSX reads 20,000 rows of a workbook.
func BenchmarkXLSX(b *testing.B) {
	rows := [][]any{{"Account ID", "Name", "Longitude", "Latitude", "Potential"}}
	for i := 0; i < 20000; i++ {
		rows = append(rows, []any{fmt.Sprintf("AC%07d", i), fmt.Sprintf("Account %d", i), -100.5, 40.25, i})
	}
	p := write(b, "bench.xlsx", makeXLSX(b, map[string][][]any{"Sheet1": rows}))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := Open(p, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := t.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		t.Close()
	}
}
