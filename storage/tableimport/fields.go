package tableimport

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode"

	"territoria/engine/coords"
)

// Kind is what a table holds.
type Kind string

// The kinds of table an import understands.
const (
	KindAccounts  Kind = "accounts"
	KindReps      Kind = "reps"
	KindSales     Kind = "sales"
	KindVisits    Kind = "visits"
	KindAlignment Kind = "alignment"
	KindUnitData  Kind = "unit-data"
)

// Kinds lists the table kinds in the order a person would import them.
var Kinds = []Kind{KindAccounts, KindReps, KindSales, KindVisits, KindAlignment, KindUnitData}

// Field is one thing a column can hold for a kind.
type Field struct {
	// Key names the field in a Mapping ("id", "lon", "potential"...).
	Key string `json:"key"`
	// Required fields must be mapped (for location, one of the ways must be).
	Required bool `json:"required"`
	// Type is "text", "number", "date" or "month".
	Type string `json:"type"`
	// Names are header texts that suggest this field, English and Chinese,
	// compared after normalisation (case, spaces, punctuation, units).
	Names []string `json:"-"`
}

var fieldsByKind = map[Kind][]Field{
	KindAccounts: {
		{Key: "id", Required: true, Type: "text", Names: []string{"id", "account id", "account number", "account no", "customer id", "customer number", "customer no", "client id", "code", "客户编号", "客户编码", "客户代码", "客户id", "编号", "编码", "客户号"}},
		{Key: "name", Type: "text", Names: []string{"name", "account name", "account", "customer name", "customer", "client", "company", "客户名称", "客户名", "客户", "名称", "公司名称", "单位名称", "门店名称", "医院名称"}},
		{Key: "lon", Type: "number", Names: []string{"lon", "lng", "long", "longitude", "x", "经度"}},
		{Key: "lat", Type: "number", Names: []string{"lat", "latitude", "y", "纬度"}},
		{Key: "unit", Type: "text", Names: []string{"unit", "fips", "county fips", "zip", "zip code", "postal code", "postcode", "adcode", "area code", "region code", "行政区划代码", "区划代码", "邮编", "邮政编码"}},
		{Key: "province", Type: "text", Names: []string{"province", "state", "省", "省份", "省市", "所在省"}},
		{Key: "city", Type: "text", Names: []string{"city", "town", "市", "城市", "地市", "所在城市", "所在市"}},
		{Key: "district", Type: "text", Names: []string{"district", "county", "区", "县", "区县", "区/县", "区域", "所在区县"}},
		{Key: "address", Type: "text", Names: []string{"address", "street", "street address", "地址", "详细地址", "街道地址"}},
		{Key: "potential", Type: "number", Names: []string{"potential", "market potential", "opportunity", "潜力", "潜力值", "市场潜力", "潜在销售额"}},
		{Key: "revenue", Type: "number", Names: []string{"revenue", "sales", "annual revenue", "amount", "销售额", "收入", "营收", "年销售额", "销量"}},
		{Key: "ltv", Type: "number", Names: []string{"ltv", "lifetime value", "customer lifetime value", "clv", "客户价值", "终身价值", "生命周期价值"}},
		{Key: "tier", Type: "text", Names: []string{"tier", "segment", "class", "grade", "分级", "等级", "级别", "客户等级", "客户分级"}},
		{Key: "industry", Type: "text", Names: []string{"industry", "sector", "vertical", "行业", "所属行业"}},
		{Key: "size", Type: "text", Names: []string{"size", "company size", "employees", "规模", "企业规模"}},
	},
	KindReps: {
		{Key: "id", Required: true, Type: "text", Names: []string{"id", "rep id", "employee id", "employee number", "staff id", "工号", "员工编号", "员工号", "代表编号", "编号"}},
		{Key: "name", Type: "text", Names: []string{"name", "rep", "rep name", "representative", "employee", "姓名", "代表", "代表姓名", "销售代表", "员工姓名", "名字"}},
		{Key: "lon", Type: "number", Names: []string{"lon", "lng", "longitude", "home lon", "home longitude", "经度"}},
		{Key: "lat", Type: "number", Names: []string{"lat", "latitude", "home lat", "home latitude", "纬度"}},
		{Key: "unit", Type: "text", Names: []string{"home unit", "unit", "zip", "fips", "adcode", "常驻地", "所在地"}},
		{Key: "capacity", Type: "number", Names: []string{"capacity", "capacity hours", "weekly hours", "hours", "hours per week", "工时", "每周工时", "周工时", "产能"}},
		{Key: "cost", Type: "number", Names: []string{"cost", "annual cost", "salary", "成本", "年成本", "薪资"}},
		{Key: "territory", Type: "text", Names: []string{"territory", "territory id", "current territory", "辖区", "区域", "所属辖区", "负责区域", "片区"}},
	},
	KindSales: {
		{Key: "account", Required: true, Type: "text", Names: []string{"account", "account id", "customer id", "customer", "customer number", "id", "客户编号", "客户编码", "客户", "客户id"}},
		{Key: "month", Type: "month", Names: []string{"month", "period", "date", "月份", "月", "日期", "期间", "年月"}},
		{Key: "amount", Type: "number", Names: []string{"amount", "revenue", "sales", "value", "销售额", "金额", "收入", "销量"}},
	},
	KindVisits: {
		{Key: "date", Required: true, Type: "date", Names: []string{"date", "visit date", "day", "拜访日期", "日期", "拜访时间", "时间"}},
		{Key: "rep", Type: "text", Names: []string{"rep", "rep id", "employee id", "representative", "代表", "工号", "代表编号", "拜访人", "销售代表"}},
		{Key: "account", Required: true, Type: "text", Names: []string{"account", "account id", "customer id", "customer", "客户编号", "客户编码", "客户", "客户id"}},
		{Key: "duration", Type: "number", Names: []string{"duration", "minutes", "duration minutes", "length", "时长", "拜访时长", "分钟"}},
		{Key: "outcome", Type: "text", Names: []string{"outcome", "result", "status", "结果", "拜访结果", "状态"}},
	},
	KindAlignment: {
		{Key: "unit", Type: "text", Names: []string{"unit", "unit id", "fips", "zip", "adcode", "county", "district", "区域编码", "行政区划代码", "区县", "区划"}},
		{Key: "account", Type: "text", Names: []string{"account", "account id", "customer id", "客户编号", "客户编码"}},
		{Key: "territory", Required: true, Type: "text", Names: []string{"territory", "territory id", "辖区", "辖区编号", "片区", "负责区域"}},
		{Key: "territoryName", Type: "text", Names: []string{"territory name", "辖区名称", "片区名称"}},
		{Key: "rep", Type: "text", Names: []string{"rep", "rep id", "employee id", "代表", "工号", "代表编号"}},
	},
	KindUnitData: {
		{Key: "unit", Required: true, Type: "text", Names: []string{"unit", "unit id", "id", "fips", "zip", "adcode", "code", "name", "county", "district", "区划代码", "行政区划代码", "编码", "区县", "名称", "地区"}},
	},
}

// Fields returns the fields of a kind, or nil for an unknown kind.
func Fields(k Kind) []Field { return fieldsByKind[k] }

// Mapping says which column holds which field. It is what a person saves
// as a template and what `--mapping M.json` reads.
type Mapping struct {
	Kind Kind `json:"kind"`
	// Columns maps a field key to the header of the column holding it.
	Columns map[string]string `json:"columns"`
	// Extra lists further columns to keep: numeric attributes of accounts,
	// the values of unit data (named by their header).
	Extra []string `json:"extra,omitempty"`
	// MonthColumns lists the columns of a wide sales table, one per month
	// (their headers must read as months: "2025-01", "2025年1月", "Jan 2025").
	MonthColumns []string `json:"monthColumns,omitempty"`
	// Coords is the system of longitude/latitude columns: "wgs84" (default),
	// "gcj02" or "bd09".
	Coords coords.System `json:"coords,omitempty"`
	// HeaderRow forces the header row (1-based); 0 detects it.
	HeaderRow int `json:"headerRow,omitempty"`
	// Sheet names the worksheet of a workbook; "" is the first.
	Sheet string `json:"sheet,omitempty"`
}

// ReadMapping reads a mapping saved as JSON (see ParseMapping).
func ReadMapping(path string) (Mapping, error) {
	f, err := os.Open(path)
	if err != nil {
		return Mapping{}, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxMappingBytes+1))
	if err != nil {
		return Mapping{}, fmt.Errorf("mapping %s: %w", path, err)
	}
	return ParseMapping(b, path)
}

// WriteMapping saves m as indented JSON.
func WriteMapping(path string, m Mapping) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// normHeader folds a header for comparison: lower case, no spaces, no
// punctuation, no unit in brackets ("Potential (USD)" → "potential").
func normHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, br := range [][2]string{{"(", ")"}, {"（", "）"}, {"[", "]"}, {"【", "】"}} {
		if i := strings.Index(s, br[0]); i > 0 {
			if j := strings.Index(s[i:], br[1]); j > 0 {
				s = s[:i] + s[i+j+len(br[1]):]
			}
		}
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Suggest proposes a mapping for a table of kind k from its header and a
// few sample rows: each field takes the column whose header matches one of
// its names (exactly after normalisation, else as a prefix or suffix); for
// accounts and unit data, the remaining mostly-numeric columns become
// Extra; for sales without a month column, headers that read as months
// become MonthColumns.
func Suggest(k Kind, header []string, sample [][]string) Mapping {
	m := Mapping{Kind: k, Columns: map[string]string{}}
	used := make([]bool, len(header))
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = normHeader(h)
	}
	fields := Fields(k)
	// Pass 1: exact matches, in field order, then pass 2: partial ones.
	for pass := 0; pass < 2; pass++ {
		for _, f := range fields {
			if _, ok := m.Columns[f.Key]; ok {
				continue
			}
			if k == KindSales && f.Key != "account" && monthHeaders(header) >= 2 {
				continue
			}
		cols:
			for i := range header {
				if used[i] || norm[i] == "" {
					continue
				}
				for _, name := range f.Names {
					n := normHeader(name)
					if n == "" {
						continue
					}
					hit := norm[i] == n
					if pass == 1 && !hit && len([]rune(n)) >= 2 {
						hit = strings.HasPrefix(norm[i], n) || strings.HasSuffix(norm[i], n)
					}
					if hit {
						m.Columns[f.Key] = header[i]
						used[i] = true
						break cols
					}
				}
			}
		}
	}
	switch k {
	case KindSales:
		if _, ok := m.Columns["month"]; !ok {
			for i, h := range header {
				if _, ok := ParseMonthHeader(h); ok && !used[i] {
					m.MonthColumns = append(m.MonthColumns, h)
					used[i] = true
				}
			}
		}
	case KindAccounts, KindUnitData:
		for i, h := range header {
			if !used[i] && mostlyNumeric(sample, i) {
				m.Extra = append(m.Extra, h)
			}
		}
	}
	return m
}

func monthHeaders(header []string) int {
	n := 0
	for _, h := range header {
		if _, ok := ParseMonthHeader(h); ok {
			n++
		}
	}
	return n
}

func mostlyNumeric(rows [][]string, col int) bool {
	num, filled := 0, 0
	for _, r := range rows {
		if col >= len(r) || strings.TrimSpace(r[col]) == "" {
			continue
		}
		filled++
		if _, err := ParseNumber(r[col]); err == nil {
			num++
		}
	}
	return filled > 0 && num*5 >= filled*4
}

// check reports what is wrong with m for a table with header: an unknown
// kind or field, a column the table lacks, a required field not mapped.
func (m Mapping) check(header []string) error {
	fields := Fields(m.Kind)
	if fields == nil {
		return fmt.Errorf("unknown kind %q (want one of %s)", m.Kind, kindList())
	}
	known := map[string]bool{}
	for _, f := range fields {
		known[f.Key] = true
	}
	has := map[string]bool{}
	for _, h := range header {
		has[h] = true
	}
	keys := make([]string, 0, len(m.Columns))
	for k := range m.Columns {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		col := m.Columns[k]
		if !known[k] {
			return fmt.Errorf("the mapping names field %q, which %s do not have", k, m.Kind)
		}
		if col != "" && !has[col] {
			return fmt.Errorf("the mapping puts %s in column %q, which the table does not have (its columns are %s)", k, col, strings.Join(header, ", "))
		}
	}
	for _, list := range [][]string{m.Extra, m.MonthColumns} {
		for _, col := range list {
			if !has[col] {
				return fmt.Errorf("the mapping names column %q, which the table does not have", col)
			}
		}
	}
	for _, f := range fields {
		if f.Required && m.Columns[f.Key] == "" {
			return fmt.Errorf("no column is mapped to %s, which %s need", f.Key, m.Kind)
		}
	}
	switch m.Kind {
	case KindSales:
		if len(m.MonthColumns) == 0 && (m.Columns["month"] == "" || m.Columns["amount"] == "") {
			return fmt.Errorf("sales need a month and an amount column, or one column per month")
		}
		for _, c := range m.MonthColumns {
			if _, ok := ParseMonthHeader(c); !ok {
				return fmt.Errorf("month column %q does not read as a month (write it like 2025-01 or 2025年1月)", c)
			}
		}
	case KindAccounts:
		if (m.Columns["lon"] == "") != (m.Columns["lat"] == "") {
			return fmt.Errorf("map both longitude and latitude, or neither")
		}
	case KindAlignment:
		if m.Columns["unit"] == "" && m.Columns["account"] == "" && m.Columns["rep"] == "" {
			return fmt.Errorf("an alignment needs a unit, account or rep column next to the territory")
		}
	case KindUnitData:
		if len(m.Extra) == 0 {
			return fmt.Errorf("choose at least one value column to store for the units")
		}
	}
	if _, ok := coords.ToWGS84([2]float64{}, m.Coords); !ok {
		return fmt.Errorf("unknown coordinate system %q (want wgs84, gcj02 or bd09)", m.Coords)
	}
	return nil
}

func kindList() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
