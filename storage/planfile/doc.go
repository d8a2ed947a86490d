// Package planfile stores one territory plan in one file (".territoria"), a
// bbolt database.
//
// A File is opened by one writer at a time: Open fails fast with
// ErrOpenElsewhere while another process or File holds the plan. Every edit
// (SetUnitTerritory, PutScenario, PutAccounts, ...) is one bbolt
// transaction, durable when the method returns; Update groups several edits
// into one. Load reads the whole plan into an engine.Plan.
//
// # File layout (schema version 1)
//
// Top-level buckets, all created when a plan is created or opened for
// writing:
//
//	meta        schema (uvarint), name, currency, history_start (varint
//	            Month), history_months (uvarint), active_scenario, created,
//	            modified, exported_at (time.Time binary), exported_by,
//	            from_scenario, read_only (one byte 0/1)
//	accounts    chunk number (4-byte big-endian) → account chunk, 4,096
//	            accounts per chunk, columnar (see below)
//	reps        chunk number → up to 1,024 reps
//	units       chunk number → up to 256 units
//	unit_ids    unit id → unit index (4-byte big-endian)
//	borders     chunk number → up to 1,024 borders
//	scenarios   one nested bucket per scenario id:
//	    scenario         record: codec, list order, name
//	    territories      territory id → record: codec, list order, name,
//	                     kind, parent, rep id, colour, locked, polygon
//	    units            unit id → territory id
//	    accounts         account id → territory id (overrides)
//	    locked_units     unit id → empty
//	    locked_accounts  account id → empty
//
// Chunk keys count up from zero without gaps; the order of chunks and of
// the "list order" fields is the order of the plan's slices.
//
// # Records
//
// Every record starts with a codec version byte (currently 1 for all of
// them), so that a record layout can change without a schema change.
// Integers are varints, floats are little-endian IEEE 754 bit patterns (so
// values round-trip exactly), strings are a uvarint length and their bytes,
// and geometries are nested uvarint counts followed by raw coordinate pairs.
//
// An account chunk is stored column by column: the ids, the names, the
// tier, industry and size as dictionary columns, locations, the approximate
// flags as a bitset, potential, lifetime value, history lengths then all
// history values as float32, and extra attributes as a key dictionary plus
// (key, value) pairs. Each string column shares one allocation when
// decoded, and chunks decode in parallel, which keeps loading a million
// accounts well under a second.
//
// Account.Unit is derived data and is not stored: loaded accounts have
// Unit == engine.NoIndex. Empty slices and maps load as nil, except that the
// four maps of a Scenario are never nil. Only true entries of the lock maps
// are stored.
//
// # Versions
//
// The meta bucket's schema key holds SchemaVersion. Opening an older file
// for writing copies it to BackupPath(path, version) and runs the ordered
// list of migrations in one transaction; a file from a newer version is
// refused with ErrNewerVersion. Files that are not bbolt databases, are
// truncated, or lack the meta bucket are refused with ErrNotAPlan or
// ErrCorrupt before bbolt maps them, and a fault while reading a damaged
// file is reported as ErrCorrupt rather than crashing the program.
package planfile
