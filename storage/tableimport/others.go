package tableimport

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strings"

	"territoria/engine"
	"territoria/engine/coords"
	"territoria/storage/planfile"
)

// ---- reps -------------------------------------------------------------------

type repStager struct {
	units  *unitIndex
	sys    coords.System
	known  Known
	req    Request
	staged []engine.Rep
	terr   map[string]string // rep id → territory id
	seen   map[string]int
}

func (s *repStager) row(c *rowCtx) {
	id := c.cell("id")
	if id == "" {
		c.reject("id", "", CodeMissing, "the rep id is empty")
		return
	}
	if first, dup := s.seen[id]; dup {
		c.reject("id", id, CodeDuplicate, fmt.Sprintf("the id %s is already on row %d", id, first))
		return
	}
	s.seen[id] = c.row.Num
	r := engine.Rep{ID: id, Name: c.cell("name")}
	if r.Name == "" {
		r.Name = id
	}
	r.Home, _, _, _ = locate(c, s.units, s.sys)
	r.CapacityHours, _ = c.number("capacity", true)
	if r.CapacityHours > 168 {
		c.reject("capacity", c.cell("capacity"), CodeOutOfRange, "a week has 168 hours")
	}
	r.Cost, _ = c.number("cost", true)
	if t := c.cell("territory"); t != "" {
		kind, ok := s.known.Territories[t]
		switch {
		case !ok:
			c.reject("territory", t, CodeUnknownTerritory, "the scenario has no territory with this id")
		case kind != engine.KindTerritory:
			c.reject("territory", t, CodeUnknownTerritory, fmt.Sprintf("%s is a %s, not a territory", t, kind))
		default:
			if s.terr == nil {
				s.terr = map[string]string{}
			}
			if !c.bad {
				s.terr[id] = t
			}
		}
	}
	if !c.bad {
		s.staged = append(s.staged, r)
	}
}

func (s *repStager) commit(ctx context.Context, tx *planfile.Tx, rep *Report) error {
	cur, err := tx.Reps()
	if err != nil {
		return err
	}
	pos := make(map[string]int, len(cur))
	for i := range cur {
		pos[cur[i].ID] = i
	}
	keep := make([]bool, len(cur))
	for _, r := range s.staged {
		j, ok := pos[r.ID]
		switch {
		case !ok:
			cur = append(cur, r)
			rep.Added++
		case cur[j] == r:
			keep[j] = true
			rep.Unchanged++
		default:
			keep[j] = true
			cur[j] = r
			rep.Updated++
		}
	}
	if s.req.RemoveMissing {
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
	if err := tx.ReplaceReps(cur); err != nil {
		return err
	}
	if len(s.terr) == 0 {
		return nil
	}
	sc, err := tx.Scenario(s.req.Scenario)
	if err != nil {
		return err
	}
	for repID, tid := range s.terr {
		if t := sc.Territory(tid); t != nil {
			t.RepID = repID
		}
	}
	return tx.PutScenario(sc)
}

// ---- sales history ----------------------------------------------------------

type salesStager struct {
	known         Known
	history       map[string]map[engine.Month]float64
	months        []int // column indexes of a wide table
	monthOf       []engine.Month
	names         []string
	removeMissing bool
}

func (s *salesStager) add(id string, m engine.Month, v float64) {
	h := s.history[id]
	if h == nil {
		h = map[engine.Month]float64{}
		s.history[id] = h
	}
	h[m] += v
}

func (s *salesStager) row(c *rowCtx) {
	id := c.cell("account")
	if id == "" {
		c.reject("account", "", CodeMissing, "the account id is empty")
		return
	}
	if !s.known.Accounts[id] {
		c.reject("account", id, CodeUnknownAccount, "the plan has no account with this id (import accounts first)")
		return
	}
	if len(s.months) > 0 {
		type mv struct {
			m engine.Month
			v float64
		}
		var vals []mv
		for i, col := range s.months {
			cell := strings.TrimSpace(c.row.Cell(col))
			if cell == "" {
				continue
			}
			v, err := ParseNumber(cell)
			if err != nil {
				c.bad = true
				c.rep.RejectsTotal++
				if len(c.rep.Rejects) < MaxRejects {
					c.rep.Rejects = append(c.rep.Rejects, Reject{Row: c.row.Num, Column: s.names[i], Value: cell, Code: CodeBadNumber, Reason: "not a number"})
				}
				continue
			}
			vals = append(vals, mv{s.monthOf[i], v})
		}
		if !c.bad {
			for _, x := range vals {
				s.add(id, x.m, x.v)
			}
		}
		return
	}
	ms := c.cell("month")
	m, err := ParseMonth(ms, c.serial)
	if err != nil {
		c.reject("month", ms, CodeBadMonth, "not a month (write it like 2025-01 or 2025年1月)")
	}
	v, ok := c.number("amount", false)
	if !ok && !c.bad {
		c.reject("amount", "", CodeMissing, "the amount is empty")
	}
	if !c.bad {
		s.add(id, m, v)
	}
}

// maxHistoryMonths is the longest history a plan keeps.
const maxHistoryMonths = 4096

func (s *salesStager) commit(ctx context.Context, tx *planfile.Tx, rep *Report) error {
	meta, err := tx.Meta()
	if err != nil {
		return err
	}
	accts, err := tx.Accounts()
	if err != nil {
		return err
	}
	lo, hi := meta.HistoryStart, meta.HistoryStart+engine.Month(meta.HistoryMonths)-1
	empty := meta.HistoryMonths == 0
	for _, h := range s.history {
		for m := range h {
			if empty {
				lo, hi, empty = m, m, false
			}
			lo, hi = min(lo, m), max(hi, m)
		}
	}
	if empty {
		return nil
	}
	n := int(hi-lo) + 1
	if n > maxHistoryMonths {
		return fmt.Errorf("the history would span %d months, more than the %d a plan keeps", n, maxHistoryMonths)
	}
	for i := range accts {
		a := &accts[i]
		old := rebase(a.History, meta.HistoryStart, lo, n)
		h, ok := s.history[a.ID]
		if !ok {
			if s.removeMissing && len(a.History) > 0 {
				a.History = nil
				rep.Removed++
				continue
			}
			a.History = old
			continue
		}
		if old == nil {
			old = make([]float32, n)
		}
		before := append([]float32(nil), old...)
		for m, v := range h {
			old[m-lo] = float32(v)
		}
		a.History = old
		if equalHistory(before, old) {
			rep.Unchanged++
		} else if zero(before) {
			rep.Added++
		} else {
			rep.Updated++
		}
		if i%4096 == 0 && ctx.Err() != nil {
			return ErrCancelled
		}
	}
	if err := tx.ReplaceAccounts(accts); err != nil {
		return err
	}
	meta.HistoryStart, meta.HistoryMonths = lo, n
	return tx.SetMeta(meta)
}

// rebase moves h, starting at from, onto a window starting at to, n long.
func rebase(h []float32, from, to engine.Month, n int) []float32 {
	if len(h) == 0 {
		return nil
	}
	out := make([]float32, n)
	for i, v := range h {
		if j := int(from) + i - int(to); j >= 0 && j < n {
			out[j] = v
		}
	}
	return out
}

func equalHistory(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func zero(h []float32) bool {
	for _, v := range h {
		if v != 0 {
			return false
		}
	}
	return true
}

// ---- visits -----------------------------------------------------------------

type visitKey struct {
	account, rep string
	day          Day
}

type visitStager struct {
	known         Known
	today         Day
	staged        []engine.Visit
	seen          map[visitKey]int
	removeMissing bool
}

func (s *visitStager) row(c *rowCtx) {
	ds := c.cell("date")
	day, err := ParseDate(ds, c.serial)
	switch {
	case ds == "":
		c.reject("date", "", CodeMissing, "the date is empty")
	case err != nil:
		c.reject("date", ds, CodeBadDate, "not a date (write it like 2025-03-14)")
	case day > s.today:
		c.reject("date", ds, CodeFutureDate, "the date is in the future")
	}
	acct := c.cell("account")
	switch {
	case acct == "":
		c.reject("account", "", CodeMissing, "the account id is empty")
	case !s.known.Accounts[acct]:
		c.reject("account", acct, CodeUnknownAccount, "the plan has no account with this id")
	}
	repID := c.cell("rep")
	if repID != "" && !s.known.Reps[repID] {
		c.reject("rep", repID, CodeUnknownRep, "the plan has no rep with this id")
	}
	mins, _ := c.number("duration", true)
	if c.bad {
		return
	}
	k := visitKey{acct, repID, day}
	if first, dup := s.seen[k]; dup {
		c.reject("date", ds, CodeDuplicate, fmt.Sprintf("row %d already logs this rep visiting this account that day", first))
		return
	}
	s.seen[k] = c.row.Num
	s.staged = append(s.staged, engine.Visit{AccountID: acct, RepID: repID, Day: day, Minutes: mins, Outcome: c.cell("outcome")})
}

func (s *visitStager) commit(ctx context.Context, tx *planfile.Tx, rep *Report) error {
	cur, err := tx.Visits()
	if err != nil {
		return err
	}
	pos := make(map[visitKey]int, len(cur))
	for i, v := range cur {
		pos[visitKey{v.AccountID, v.RepID, v.Day}] = i
	}
	keep := make([]bool, len(cur))
	for _, v := range s.staged {
		j, ok := pos[visitKey{v.AccountID, v.RepID, v.Day}]
		switch {
		case !ok:
			cur = append(cur, v)
			rep.Added++
		case cur[j] == v:
			keep[j] = true
			rep.Unchanged++
		default:
			keep[j] = true
			cur[j] = v
			rep.Updated++
		}
	}
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
	return tx.ReplaceVisits(cur)
}

// ---- alignment --------------------------------------------------------------

type alignStager struct {
	units *unitIndex
	known Known
	req   Request
	unitT map[string]string // unit id → territory id
	acctT map[string]string // account id → territory id
	repOf map[string]string // territory id → rep id
	names map[string]string // territory id → name
	rowOf map[string]int
}

// palette colours new territories.
var palette = []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}

func (s *alignStager) row(c *rowCtx) {
	tid := c.cell("territory")
	if tid == "" {
		c.reject("territory", "", CodeMissing, "the territory id is empty")
		return
	}
	if kind, ok := s.known.Territories[tid]; ok && kind != engine.KindTerritory {
		c.reject("territory", tid, CodeUnknownTerritory, fmt.Sprintf("%s is a %s; only territories hold units and accounts", tid, kind))
		return
	}
	var unitID, acct, repID string
	if u := c.cell("unit"); u != "" {
		i, why := s.units.find(u)
		if i < 0 {
			c.reject("unit", u, CodeUnknownUnit, why)
		} else {
			unitID = s.units.units[i].ID
			if prev, ok := s.unitT[unitID]; ok && prev != tid {
				c.reject("unit", u, CodeConflict, fmt.Sprintf("row %d puts this unit in %s", s.rowOf["u:"+unitID], prev))
			}
		}
	}
	if a := c.cell("account"); a != "" {
		if !s.known.Accounts[a] {
			c.reject("account", a, CodeUnknownAccount, "the plan has no account with this id")
		} else if prev, ok := s.acctT[a]; ok && prev != tid {
			c.reject("account", a, CodeConflict, fmt.Sprintf("row %d puts this account in %s", s.rowOf["a:"+a], prev))
		} else {
			acct = a
		}
	}
	if r := c.cell("rep"); r != "" {
		if !s.known.Reps[r] {
			c.reject("rep", r, CodeUnknownRep, "the plan has no rep with this id")
		} else if prev, ok := s.repOf[tid]; ok && prev != r {
			c.reject("rep", r, CodeConflict, fmt.Sprintf("row %d gives this territory rep %s", s.rowOf["r:"+tid], prev))
		} else {
			repID = r
		}
	}
	if c.bad {
		return
	}
	if unitID != "" {
		s.unitT[unitID], s.rowOf["u:"+unitID] = tid, c.row.Num
	}
	if acct != "" {
		s.acctT[acct], s.rowOf["a:"+acct] = tid, c.row.Num
	}
	if repID != "" {
		s.repOf[tid], s.rowOf["r:"+tid] = repID, c.row.Num
	}
	if n := c.cell("territoryName"); n != "" {
		s.names[tid] = n
	} else if _, ok := s.names[tid]; !ok {
		s.names[tid] = ""
	}
}

func (s *alignStager) commit(ctx context.Context, tx *planfile.Tx, rep *Report) error {
	sc, err := tx.Scenario(s.req.Scenario)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(s.names))
	for id := range s.names {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t := sc.Territory(id)
		if t == nil {
			name := s.names[id]
			if name == "" {
				name = id
			}
			sc.Territories = append(sc.Territories, engine.Territory{ID: id, Name: name, Kind: engine.KindTerritory,
				Color: palette[len(sc.Territories)%len(palette)]})
			t = &sc.Territories[len(sc.Territories)-1]
		} else if n := s.names[id]; n != "" {
			t.Name = n
		}
		if r, ok := s.repOf[id]; ok {
			t.RepID = r
		}
	}
	apply := func(cur, want map[string]string) {
		for k, v := range want {
			switch old, ok := cur[k]; {
			case !ok:
				rep.Added++
			case old == v:
				rep.Unchanged++
			default:
				rep.Updated++
			}
			cur[k] = v
		}
		if s.req.RemoveMissing && len(want) > 0 {
			for k := range maps.Clone(cur) {
				if _, ok := want[k]; !ok {
					delete(cur, k)
					rep.Removed++
				}
			}
		}
	}
	apply(sc.UnitTerritory, s.unitT)
	apply(sc.AccountTerritory, s.acctT)
	return tx.PutScenario(sc)
}

// ---- unit data --------------------------------------------------------------

type unitDataStager struct {
	units    *unitIndex
	extra    []string
	extraIdx []int
	values   map[string]map[string]float64
	seen     map[string]int
}

func (s *unitDataStager) row(c *rowCtx) {
	u := c.cell("unit")
	if u == "" {
		c.reject("unit", "", CodeMissing, "the unit is empty")
		return
	}
	i, why := s.units.find(u)
	if i < 0 {
		c.reject("unit", u, CodeUnknownUnit, why)
		return
	}
	id := s.units.units[i].ID
	if first, dup := s.seen[id]; dup {
		c.reject("unit", u, CodeDuplicate, fmt.Sprintf("row %d already gives values for this unit", first))
		return
	}
	vals := map[string]float64{}
	for j, col := range s.extraIdx {
		cell := strings.TrimSpace(c.row.Cell(col))
		if cell == "" {
			continue
		}
		v, err := ParseNumber(cell)
		if err != nil {
			c.bad = true
			c.rep.RejectsTotal++
			if len(c.rep.Rejects) < MaxRejects {
				c.rep.Rejects = append(c.rep.Rejects, Reject{Row: c.row.Num, Column: s.extra[j], Value: cell, Code: CodeBadNumber, Reason: "not a number"})
			}
			continue
		}
		vals[s.extra[j]] = v
	}
	if c.bad || len(vals) == 0 {
		return
	}
	s.seen[id] = c.row.Num
	s.values[id] = vals
}

func (s *unitDataStager) commit(ctx context.Context, tx *planfile.Tx, rep *Report) error {
	changed := map[string]map[string]float64{}
	for i := range s.units.units {
		u := &s.units.units[i]
		vals, ok := s.values[u.ID]
		if !ok {
			continue
		}
		same := true
		for k, v := range vals {
			if old, ok := u.Data[k]; !ok || old != v {
				same = false
			}
		}
		if same {
			rep.Unchanged++
			continue
		}
		rep.Updated++
		changed[u.ID] = vals
	}
	return tx.SetUnitData(changed)
}
