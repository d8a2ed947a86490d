package main

// state is one of the 50 states or DC with its Census region (1–4) and
// division (1–9).
type state struct {
	FIPS, Abbr, Name string
	Division         int
}

var states = []state{
	{"01", "AL", "Alabama", 6}, {"02", "AK", "Alaska", 9}, {"04", "AZ", "Arizona", 8},
	{"05", "AR", "Arkansas", 7}, {"06", "CA", "California", 9}, {"08", "CO", "Colorado", 8},
	{"09", "CT", "Connecticut", 1}, {"10", "DE", "Delaware", 5}, {"11", "DC", "District of Columbia", 5},
	{"12", "FL", "Florida", 5}, {"13", "GA", "Georgia", 5}, {"15", "HI", "Hawaii", 9},
	{"16", "ID", "Idaho", 8}, {"17", "IL", "Illinois", 3}, {"18", "IN", "Indiana", 3},
	{"19", "IA", "Iowa", 4}, {"20", "KS", "Kansas", 4}, {"21", "KY", "Kentucky", 6},
	{"22", "LA", "Louisiana", 7}, {"23", "ME", "Maine", 1}, {"24", "MD", "Maryland", 5},
	{"25", "MA", "Massachusetts", 1}, {"26", "MI", "Michigan", 3}, {"27", "MN", "Minnesota", 4},
	{"28", "MS", "Mississippi", 6}, {"29", "MO", "Missouri", 4}, {"30", "MT", "Montana", 8},
	{"31", "NE", "Nebraska", 4}, {"32", "NV", "Nevada", 8}, {"33", "NH", "New Hampshire", 1},
	{"34", "NJ", "New Jersey", 2}, {"35", "NM", "New Mexico", 8}, {"36", "NY", "New York", 2},
	{"37", "NC", "North Carolina", 5}, {"38", "ND", "North Dakota", 4}, {"39", "OH", "Ohio", 3},
	{"40", "OK", "Oklahoma", 7}, {"41", "OR", "Oregon", 9}, {"42", "PA", "Pennsylvania", 2},
	{"44", "RI", "Rhode Island", 1}, {"45", "SC", "South Carolina", 5}, {"46", "SD", "South Dakota", 4},
	{"47", "TN", "Tennessee", 6}, {"48", "TX", "Texas", 7}, {"49", "UT", "Utah", 8},
	{"50", "VT", "Vermont", 1}, {"51", "VA", "Virginia", 5}, {"53", "WA", "Washington", 9},
	{"54", "WV", "West Virginia", 5}, {"55", "WI", "Wisconsin", 3}, {"56", "WY", "Wyoming", 8},
}

// The Census regions and divisions, by code.
var (
	regionNames   = map[int]string{1: "Northeast", 2: "Midwest", 3: "South", 4: "West"}
	divisionNames = map[int]string{
		1: "New England", 2: "Middle Atlantic", 3: "East North Central", 4: "West North Central",
		5: "South Atlantic", 6: "East South Central", 7: "West South Central", 8: "Mountain", 9: "Pacific",
	}
	divisionRegion = map[int]int{1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 3, 8: 4, 9: 4}
)

// stateTerritories is the traditional alignment: whole states, the large
// ones alone and small neighbours of the same division together.
var stateTerritories = []struct {
	Name   string
	States []string
}{
	{"Northern New England", []string{"ME", "NH", "VT"}},
	{"Massachusetts", []string{"MA"}},
	{"Connecticut & Rhode Island", []string{"CT", "RI"}},
	{"New York", []string{"NY"}},
	{"New Jersey", []string{"NJ"}},
	{"Pennsylvania", []string{"PA"}},
	{"Illinois", []string{"IL"}},
	{"Indiana", []string{"IN"}},
	{"Michigan", []string{"MI"}},
	{"Ohio", []string{"OH"}},
	{"Wisconsin", []string{"WI"}},
	{"Minnesota", []string{"MN"}},
	{"Iowa", []string{"IA"}},
	{"Missouri", []string{"MO"}},
	{"Kansas & Nebraska", []string{"KS", "NE"}},
	{"The Dakotas", []string{"ND", "SD"}},
	{"Florida", []string{"FL"}},
	{"Georgia", []string{"GA"}},
	{"North Carolina", []string{"NC"}},
	{"South Carolina", []string{"SC"}},
	{"Virginia", []string{"VA"}},
	{"Maryland, Delaware & DC", []string{"MD", "DE", "DC"}},
	{"West Virginia", []string{"WV"}},
	{"Alabama", []string{"AL"}},
	{"Kentucky", []string{"KY"}},
	{"Mississippi", []string{"MS"}},
	{"Tennessee", []string{"TN"}},
	{"Texas", []string{"TX"}},
	{"Louisiana", []string{"LA"}},
	{"Oklahoma", []string{"OK"}},
	{"Arkansas", []string{"AR"}},
	{"Arizona", []string{"AZ"}},
	{"Colorado", []string{"CO"}},
	{"Nevada", []string{"NV"}},
	{"Utah", []string{"UT"}},
	{"New Mexico", []string{"NM"}},
	{"Idaho, Montana & Wyoming", []string{"ID", "MT", "WY"}},
	{"California", []string{"CA"}},
	{"Washington & Alaska", []string{"WA", "AK"}},
	{"Oregon & Hawaii", []string{"OR", "HI"}},
}

// palette is the colour set for the map (Tableau 10).
var palette = []string{
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
}

// Industries with the words used in company names and their seasonal peak
// month (1–12) and amplitude.
var industries = []struct {
	Name   string
	Weight float64
	Words  []string
	Peak   int
	Amp    float64
}{
	{"Manufacturing", 20, []string{"Precision", "Fabrication", "Machining", "Plastics", "Tool & Die", "Castings"}, 3, 0.08},
	{"Healthcare", 14, []string{"Medical", "Health", "Clinic", "Care", "Dental", "Wellness"}, 1, 0.05},
	{"Retail", 14, []string{"Outfitters", "Market", "Supply", "Goods", "Hardware", "Trading"}, 12, 0.25},
	{"Construction", 12, []string{"Builders", "Contracting", "Concrete", "Roofing", "Construction", "Paving"}, 7, 0.22},
	{"Logistics", 9, []string{"Freight", "Logistics", "Transport", "Distribution", "Warehousing"}, 11, 0.12},
	{"Agriculture", 7, []string{"Farms", "Agri", "Feed & Seed", "Growers", "Ranch Supply"}, 5, 0.30},
	{"Technology", 9, []string{"Systems", "Software", "Data", "Networks", "Digital", "Tech"}, 9, 0.06},
	{"Hospitality", 7, []string{"Hotels", "Restaurants", "Catering", "Inns", "Hospitality"}, 7, 0.18},
	{"Education", 4, []string{"Academy", "Learning", "Schools", "Institute"}, 8, 0.20},
	{"Energy", 4, []string{"Energy", "Power", "Fuel", "Solar", "Utilities"}, 1, 0.15},
}

var suffixes = []string{"Inc.", "LLC", "Co.", "Corp.", "Group", "Partners", "& Sons", "Holdings", "Ltd.", "Company"}

// Account sizes: share of accounts and median annual potential in USD.
var sizes = []struct {
	Name   string
	Share  float64
	Median float64
}{
	{"Small", 0.55, 20000},
	{"Medium", 0.30, 60000},
	{"Large", 0.12, 180000},
	{"Enterprise", 0.03, 600000},
}

var firstNames = []string{
	"Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Sophia", "Mason", "Isabella", "Lucas",
	"Mia", "Logan", "Amelia", "James", "Harper", "Benjamin", "Evelyn", "Elijah", "Abigail", "Daniel",
	"Emily", "Henry", "Ella", "Jackson", "Grace", "Samuel", "Chloe", "Sebastian", "Zoe", "David",
	"Nora", "Carter", "Lily", "Wyatt", "Hannah", "Owen", "Aria", "Gabriel", "Layla", "Julian",
	"Maya", "Isaac", "Priya", "Diego", "Mei", "Andre", "Fatima", "Kenji", "Rosa", "Tariq",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
	"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
}
