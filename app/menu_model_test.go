package app

import "testing"

// The Plan menu opens the planning model's drawer on each tab, in both
// languages, with the ids the page's commands know (frontend/src/commands.ts).
func TestMenuPlanModel(t *testing.T) {
	want := []string{"model:assumptions", "model:alerts", "model:quotas", "model:reps"}
	labels := map[string][]string{
		"en":    {"Plan", "Assumptions…", "Alerts", "Quotas…", "Reps"},
		"zh-CN": {"规划", "假设…", "预警", "指标分配…", "代表"},
	}
	for _, lang := range MenuLanguages {
		t.Run(lang, func(t *testing.T) {
			var plan *MenuItem
			m := BuildMenu(lang, nil)
			for i := range m {
				if m[i].Label == labels[lang][0] {
					plan = &m[i]
				}
			}
			if plan == nil {
				t.Fatalf("no %q menu in %+v", labels[lang][0], m)
			}
			if len(plan.Items) != len(want) {
				t.Fatalf("%d items, want %d", len(plan.Items), len(want))
			}
			for i, it := range plan.Items {
				if it.ID != want[i] || it.Label != labels[lang][i+1] {
					t.Errorf("item %d = %q %q, want %q %q", i, it.ID, it.Label, want[i], labels[lang][i+1])
				}
			}
		})
	}
}
