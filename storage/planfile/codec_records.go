package planfile

import (
	"fmt"

	"territoria/engine"
)

// Codec versions of the other records. Each record starts with its version
// byte so that a later build can read old records or refuse new ones.
const (
	repCodec       byte = 1
	unitCodec      byte = 1
	borderCodec    byte = 1
	territoryCodec byte = 1
	scenarioCodec  byte = 1
)

// Chunk sizes of the row-oriented lists.
const (
	repsPerChunk    = 1024
	unitsPerChunk   = 256
	bordersPerChunk = 1024
)

func corrupt(what string, err error) error {
	return fmt.Errorf("%w: %s: %v", ErrCorrupt, what, err)
}

// encodeReps writes a chunk of reps: version, count, then per rep
// ID, Name, Home, CapacityHours, Cost.
func encodeReps(reps []engine.Rep) []byte {
	e := encoder{}
	e.u8(repCodec)
	e.uvarint(uint64(len(reps)))
	for _, r := range reps {
		e.str(r.ID)
		e.str(r.Name)
		e.point(r.Home)
		e.f64(r.CapacityHours)
		e.f64(r.Cost)
	}
	return e.b
}

func decodeReps(b []byte) ([]engine.Rep, error) {
	d := decoder{b: b}
	d.version("rep chunk", repCodec)
	n := d.count("rep", maxChunk, 34)
	reps := make([]engine.Rep, n)
	for i := range reps {
		reps[i] = engine.Rep{ID: d.str(), Name: d.str(), Home: d.point(), CapacityHours: d.f64(), Cost: d.f64()}
	}
	d.end("rep chunk")
	if d.err != nil {
		return nil, corrupt("rep chunk", d.err)
	}
	return reps, nil
}

// encodeUnits writes a chunk of units: version, count, then per unit
// ID, Name, Level, Parent, Geom, Label, AreaKm2, Data, Neighbors (as deltas).
func encodeUnits(units []engine.Unit) []byte {
	e := encoder{}
	e.u8(unitCodec)
	e.uvarint(uint64(len(units)))
	for i := range units {
		u := &units[i]
		e.str(u.ID)
		e.str(u.Name)
		e.str(u.Level)
		e.str(u.Parent)
		e.multiPolygon(u.Geom)
		e.point(u.Label)
		e.f64(u.AreaKm2)
		e.floatMap(u.Data)
		e.uvarint(uint64(len(u.Neighbors)))
		prev := int64(0)
		for _, nb := range u.Neighbors {
			e.varint(int64(nb) - prev)
			prev = int64(nb)
		}
	}
	return e.b
}

func decodeUnits(b []byte) ([]engine.Unit, error) {
	d := decoder{b: b}
	d.version("unit chunk", unitCodec)
	n := d.count("unit", maxChunk, 32)
	units := make([]engine.Unit, n)
	for i := range units {
		u := &units[i]
		u.ID = d.str()
		u.Name = d.str()
		u.Level = d.str()
		u.Parent = d.str()
		u.Geom = d.multiPolygon()
		u.Label = d.point()
		u.AreaKm2 = d.f64()
		u.Data = d.floatMap("unit data")
		k := d.count("neighbor", maxNeighbors, 1)
		if k > 0 {
			u.Neighbors = make([]int32, k)
			prev := int64(0)
			for j := range u.Neighbors {
				v := prev + d.varint()
				u.Neighbors[j] = int32(v)
				if int64(int32(v)) != v {
					d.failf("unit %q neighbor %d is out of range", u.ID, v)
				}
				prev = v
			}
		}
		if d.err != nil {
			break
		}
	}
	d.end("unit chunk")
	if d.err != nil {
		return nil, corrupt("unit chunk", d.err)
	}
	return units, nil
}

// encodeBorders writes a chunk of borders: version, count, then per border
// Left, Right (varints) and the line.
func encodeBorders(borders []engine.Border) []byte {
	e := encoder{}
	e.u8(borderCodec)
	e.uvarint(uint64(len(borders)))
	for _, br := range borders {
		e.varint(int64(br.Left))
		e.varint(int64(br.Right))
		e.ring(br.Line)
	}
	return e.b
}

func decodeBorders(b []byte) ([]engine.Border, error) {
	d := decoder{b: b}
	d.version("border chunk", borderCodec)
	n := d.count("border", maxChunk, 3)
	borders := make([]engine.Border, n)
	for i := range borders {
		borders[i].Left = d.int32("border left unit")
		borders[i].Right = d.int32("border right unit")
		borders[i].Line = d.ring()
		if d.err != nil {
			break
		}
	}
	d.end("border chunk")
	if d.err != nil {
		return nil, corrupt("border chunk", d.err)
	}
	return borders, nil
}

// territoryRecord is a territory as stored under its id in a scenario's
// territories bucket; Order keeps the scenario's list order.
type territoryRecord struct {
	Order uint64
	T     engine.Territory
}

// encodeTerritory writes version, order, Name, Kind, Parent, RepID, Color,
// Locked and Polygon. The id is the key.
func encodeTerritory(r territoryRecord) []byte {
	e := encoder{}
	e.u8(territoryCodec)
	e.uvarint(r.Order)
	e.str(r.T.Name)
	e.str(string(r.T.Kind))
	e.str(r.T.Parent)
	e.str(r.T.RepID)
	e.str(r.T.Color)
	e.boolean(r.T.Locked)
	e.polygon(r.T.Polygon)
	return e.b
}

func decodeTerritory(id string, b []byte) (territoryRecord, error) {
	d := decoder{b: b}
	d.version("territory", territoryCodec)
	var r territoryRecord
	r.Order = d.uvarint()
	r.T.ID = id
	r.T.Name = d.str()
	r.T.Kind = engine.Kind(d.str())
	r.T.Parent = d.str()
	r.T.RepID = d.str()
	r.T.Color = d.str()
	r.T.Locked = d.boolean()
	r.T.Polygon = d.polygon()
	d.end("territory")
	if d.err != nil {
		return territoryRecord{}, corrupt(fmt.Sprintf("territory %q", id), d.err)
	}
	return r, nil
}

// scenarioRecord is the "scenario" key of a scenario's bucket.
type scenarioRecord struct {
	Order uint64
	Name  string
}

func encodeScenario(r scenarioRecord) []byte {
	e := encoder{}
	e.u8(scenarioCodec)
	e.uvarint(r.Order)
	e.str(r.Name)
	return e.b
}

func decodeScenario(id string, b []byte) (scenarioRecord, error) {
	d := decoder{b: b}
	d.version("scenario", scenarioCodec)
	r := scenarioRecord{Order: d.uvarint(), Name: d.str()}
	d.end("scenario")
	if d.err != nil {
		return scenarioRecord{}, corrupt(fmt.Sprintf("scenario %q", id), d.err)
	}
	return r, nil
}
