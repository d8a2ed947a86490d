package planfile

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"territoria/engine"
)

// keySettings holds the plan's settings (engine.Settings) as JSON in the
// meta bucket; absent means the defaults.
var keySettings = []byte("settings")

func readSettings(mb *bolt.Bucket) (*engine.Settings, error) {
	v := mb.Get(keySettings)
	if v == nil {
		return nil, nil
	}
	var s engine.Settings
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, fmt.Errorf("%w: the plan's settings are unreadable: %v", ErrCorrupt, err)
	}
	return &s, nil
}

func writeSettings(mb *bolt.Bucket, s *engine.Settings) error {
	if s == nil {
		return mb.Delete(keySettings)
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return mb.Put(keySettings, b)
}

func settingsJSON(s *engine.Settings) string {
	if s == nil {
		s = &engine.Settings{}
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// setSettings replaces the stored settings, checking that they are before.
func (t *Tx) setSettings(before, after *engine.Settings) error {
	mb := t.tx.Bucket(bucketMeta)
	cur, err := readSettings(mb)
	if err != nil {
		return err
	}
	if settingsJSON(cur) != settingsJSON(before) {
		return fmt.Errorf("%w: the plan's settings are not as the history expects", ErrInvalid)
	}
	return writeSettings(mb, after)
}
