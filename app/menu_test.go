package app

import "testing"

// Every native menu item that sends a command has words in every language,
// and the Scenario menu offers the optimizer.
func TestMenuLabelsInEveryLanguage(t *testing.T) {
	for _, lang := range MenuLanguages {
		t.Run(lang, func(t *testing.T) {
			var walk func(items []MenuItem)
			walk = func(items []MenuItem) {
				for _, it := range items {
					if !it.Separator && it.Label == "" {
						t.Errorf("item %q has no label", it.ID)
					}
					walk(it.Items)
				}
			}
			m := BuildMenu(lang, nil)
			walk(m)
			ids := map[string]bool{}
			for _, it := range m[1].Items {
				ids[it.ID] = true
			}
			for _, id := range []string{"optimize:design", "optimize:rebalance", "optimize:report"} {
				if !ids[id] {
					t.Errorf("Scenario menu lacks %s", id)
				}
			}
		})
	}
}
