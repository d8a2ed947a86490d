package tableimport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"territoria/engine/coords"
)

// MaxMappingBytes bounds a mapping file.
const MaxMappingBytes = 1 << 20

// ParseMapping reads a mapping from its JSON (what WriteMapping writes and
// `--mapping M.json` reads). Unknown members, a kind that is not one of
// Kinds, field keys the kind does not have and an unknown coordinate
// system are refused with a message naming name (the file, or a template)
// and what was expected. An empty kind is allowed: the import fills it in.
func ParseMapping(b []byte, name string) (Mapping, error) {
	if len(b) > MaxMappingBytes {
		return Mapping{}, fmt.Errorf("mapping %s: %d bytes is too large for a mapping (at most %d)", name, len(b), MaxMappingBytes)
	}
	var m Mapping
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Mapping{}, fmt.Errorf("mapping %s: %v (expected {\"kind\": ..., \"columns\": {\"field\": \"header\"}})", name, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Mapping{}, fmt.Errorf("mapping %s: more follows the mapping object (expected one JSON object)", name)
	}
	if err := m.Validate(); err != nil {
		return Mapping{}, fmt.Errorf("mapping %s: %w", name, err)
	}
	return m, nil
}

// Validate checks what can be checked without the table: the kind (when
// given), the field keys, the coordinate system, the header row. Whether
// the columns exist is checked against the table when it is imported.
func (m Mapping) Validate() error {
	if m.HeaderRow < 0 {
		return fmt.Errorf("headerRow %d: expected 0 (detect) or a row number from 1", m.HeaderRow)
	}
	if _, ok := coords.ToWGS84([2]float64{}, m.Coords); !ok {
		return fmt.Errorf("unknown coordinate system %q (want wgs84, gcj02 or bd09)", m.Coords)
	}
	if m.Kind == "" {
		return nil
	}
	fields := Fields(m.Kind)
	if fields == nil {
		return fmt.Errorf("unknown kind %q (want one of %s)", m.Kind, kindList())
	}
	var unknown []string
	for k := range m.Columns {
		found := false
		for _, f := range fields {
			found = found || f.Key == k
		}
		if !found {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		keys := make([]string, len(fields))
		for i, f := range fields {
			keys[i] = f.Key
		}
		return fmt.Errorf("%s have no field %s (their fields are %s)", m.Kind, strings.Join(quoteAll(unknown), ", "), strings.Join(keys, ", "))
	}
	return nil
}

// ErrNoKind is returned by MarshalMapping for a mapping without a kind.
var ErrNoKind = errors.New("the mapping names no kind")

// MarshalMapping returns m as the indented JSON WriteMapping writes, after
// Validate; the kind must be set.
func MarshalMapping(m Mapping) ([]byte, error) {
	if m.Kind == "" {
		return nil, ErrNoKind
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fmt.Sprintf("%q", s)
	}
	sort.Strings(out)
	return out
}
