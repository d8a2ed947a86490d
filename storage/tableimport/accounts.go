package tableimport

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/coords"
	"territoria/storage/planfile"
)

// locate reads a row's location: longitude and latitude (converted to
// WGS-84 from sys), else a unit code or name (the unit's label point,
// approximate), else district/city/province names. ok is false when the
// row was rejected or has no location (then noLoc is true).
func locate(c *rowCtx, units *unitIndex, sys coords.System) (p orb.Point, approx, ok, noLoc bool) {
	lonS, latS := c.cell("lon"), c.cell("lat")
	if lonS != "" || latS != "" {
		lon, e1 := ParseNumber(lonS)
		lat, e2 := ParseNumber(latS)
		switch {
		case lonS == "":
			c.reject("lon", lonS, CodeMissing, "latitude is given without longitude")
		case latS == "":
			c.reject("lat", latS, CodeMissing, "longitude is given without latitude")
		case e1 != nil:
			c.reject("lon", lonS, CodeBadNumber, "longitude is not a number")
		case e2 != nil:
			c.reject("lat", latS, CodeBadNumber, "latitude is not a number")
		case lat < -90 || lat > 90:
			reason := "latitude must be between -90 and 90"
			if lon >= -90 && lon <= 90 {
				reason += " (are longitude and latitude swapped?)"
			}
			c.reject("lat", latS, CodeOutOfRange, reason)
		case lon < -180 || lon > 180:
			c.reject("lon", lonS, CodeOutOfRange, "longitude must be between -180 and 180")
		case lon == 0 && lat == 0:
			c.reject("lon", lonS, CodeOutOfRange, "0, 0 is not a real location (missing coordinates?)")
		default:
			w, _ := coords.ToWGS84(orb.Point{lon, lat}, sys)
			return w, false, true, false
		}
		return p, false, false, false
	}
	prov, city, dist := c.cell("province"), c.cell("city"), c.cell("district")
	tries := []struct {
		key, val string
		parents  []string
	}{
		{"unit", c.cell("unit"), []string{city, prov}},
		{"district", dist, []string{city, prov}},
		{"city", city, []string{prov}},
		{"province", prov, nil},
	}
	for _, t := range tries {
		if t.val == "" {
			continue
		}
		i, why := units.find(t.val, t.parents...)
		if i < 0 {
			c.reject(t.key, t.val, CodeUnknownUnit, why)
			return p, false, false, false
		}
		return units.units[i].Label, true, true, false
	}
	return p, false, false, true
}

type accountStager struct {
	units         *unitIndex
	sys           coords.System
	extra         []string
	extraIdx      []int
	staged        []engine.Account
	seen          map[string]int
	removeMissing bool
}

func (s *accountStager) row(c *rowCtx) {
	id := c.cell("id")
	if id == "" {
		c.reject("id", "", CodeMissing, "the account id is empty")
		return
	}
	if first, dup := s.seen[id]; dup {
		c.reject("id", id, CodeDuplicate, fmt.Sprintf("the id %s is already on row %d", id, first))
		return
	}
	s.seen[id] = c.row.Num
	a := engine.Account{ID: id, Name: c.cell("name"), Unit: engine.NoIndex,
		Tier: c.cell("tier"), Industry: c.cell("industry"), Size: c.cell("size")}
	if a.Name == "" {
		a.Name = id
	}
	loc, approx, _, noLoc := locate(c, s.units, s.sys)
	if noLoc {
		c.reject("lon", "", CodeNoLocation, "no location: give longitude and latitude, or a unit code or name")
	}
	a.Loc, a.Approx = loc, approx
	a.Potential, _ = c.number("potential", true)
	a.LifetimeValue, _ = c.number("ltv", true)
	if v, ok := c.number("revenue", false); ok {
		a.Attrs = map[string]float64{"revenue": v}
	}
	for i, col := range s.extraIdx {
		cell := strings.TrimSpace(c.row.Cell(col))
		if cell == "" {
			continue
		}
		v, err := ParseNumber(cell)
		if err != nil {
			c.bad = true
			c.rep.RejectsTotal++
			if len(c.rep.Rejects) < MaxRejects {
				c.rep.Rejects = append(c.rep.Rejects, Reject{Row: c.row.Num, Column: s.extra[i], Value: cell, Code: CodeBadNumber, Reason: "not a number"})
			}
			continue
		}
		if a.Attrs == nil {
			a.Attrs = map[string]float64{}
		}
		a.Attrs[s.extra[i]] = v
	}
	if c.bad {
		return
	}
	s.staged = append(s.staged, a)
}

func (s *accountStager) commit(ctx context.Context, tx *planfile.Tx, rep *Report) error {
	s.seen = nil
	cur, err := tx.Accounts()
	if err != nil {
		return err
	}
	pos := make(map[string]int, len(cur))
	for i := range cur {
		pos[cur[i].ID] = i
	}
	keep := make([]bool, len(cur))
	cur = slices.Grow(cur, len(s.staged))
	for i := range s.staged {
		a := s.staged[i]
		j, ok := pos[a.ID]
		if !ok {
			cur = append(cur, a)
			rep.Added++
			continue
		}
		keep[j] = true
		old := &cur[j]
		a.History = old.History
		if len(old.Attrs) > 0 {
			merged := maps.Clone(old.Attrs)
			maps.Copy(merged, a.Attrs)
			a.Attrs = merged
		}
		if sameAccount(old, &a) {
			rep.Unchanged++
			continue
		}
		*old = a
		rep.Updated++
		if i%4096 == 0 && ctx.Err() != nil {
			return ErrCancelled
		}
	}
	// The staged copies are merged in; let them go before the write.
	s.staged = nil
	if s.removeMissing {
		out := cur[:0]
		for i := range cur {
			if i < len(keep) && !keep[i] {
				rep.Removed++
				continue
			}
			out = append(out, cur[i])
		}
		cur = out
	}
	if rep.Added == 0 && rep.Updated == 0 && rep.Removed == 0 {
		return nil
	}
	return tx.ReplaceAccounts(cur)
}

func sameAccount(a, b *engine.Account) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Loc == b.Loc && a.Approx == b.Approx &&
		a.Potential == b.Potential && a.LifetimeValue == b.LifetimeValue && a.Tier == b.Tier &&
		a.Industry == b.Industry && a.Size == b.Size && slices.Equal(a.History, b.History) && maps.Equal(a.Attrs, b.Attrs)
}
