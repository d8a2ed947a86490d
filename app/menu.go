package app

import "path/filepath"

// MenuItem is one entry of the native application menu, described without
// reference to any GUI toolkit so the labels stay testable. A click on an item
// with an ID sends EventMenuAction with that ID to the page, which runs the
// same command as its own menu bar.
type MenuItem struct {
	ID        string     `json:"id"`
	Label     string     `json:"label"`
	Accel     string     `json:"accel"` // e.g. "CmdOrCtrl+O"
	Separator bool       `json:"separator"`
	Items     []MenuItem `json:"items"`
}

// menuLabels holds the native menu's words; the page's own words live in
// frontend/src/i18n.
var menuLabels = map[string]map[string]string{
	"en": {
		"file": "File", "new": "New Plan…", "open": "Open Plan…", "recent": "Open Recent",
		"demo": "Open Demo Plan", "saveas": "Save As…", "import": "Import…", "quit": "Quit",
		"export": "Export…", "share": "Share Plan…",
		"scenario": "Scenario", "scenario:create": "New Scenario…", "scenario:clone": "Clone Scenario…",
		"scenario:rename": "Rename Scenario…", "scenario:delete": "Delete Scenario…",
		"optimize:design": "Design Territories…", "optimize:rebalance": "Rebalance…", "optimize:report": "Optimization Report",
		"view": "View", "settings": "Settings…", "lang:en": "English", "lang:zh-CN": "中文",
		"none": "(none)", "edit": "Edit", "undo": "Undo", "redo": "Redo",
		"plan": "Plan", "model:assumptions": "Assumptions…", "model:alerts": "Alerts", "model:quotas": "Quotas…", "model:reps": "Reps",
	},
	"zh-CN": {
		"file": "文件", "new": "新建规划…", "open": "打开规划…", "recent": "最近打开",
		"demo": "打开示例规划", "saveas": "另存为…", "import": "导入…", "quit": "退出",
		"export": "导出…", "share": "分享规划…",
		"scenario": "方案", "scenario:create": "新建方案…", "scenario:clone": "复制方案…",
		"scenario:rename": "重命名方案…", "scenario:delete": "删除方案…",
		"optimize:design": "设计区域…", "optimize:rebalance": "重新平衡…", "optimize:report": "优化报告",
		"view": "视图", "settings": "设置…", "lang:en": "English", "lang:zh-CN": "中文",
		"none": "（无）", "edit": "编辑", "undo": "撤销", "redo": "重做",
		"plan": "规划", "model:assumptions": "假设…", "model:alerts": "预警", "model:quotas": "指标分配…", "model:reps": "代表",
	},
}

// MenuLanguages lists the languages the menu (and the page) speak.
var MenuLanguages = []string{"en", "zh-CN"}

// BuildMenu returns the application menu in lang, listing recent plans.
func BuildMenu(lang string, recent []string) []MenuItem {
	l, ok := menuLabels[lang]
	if !ok {
		l = menuLabels["en"]
	}
	item := func(id, accel string) MenuItem { return MenuItem{ID: id, Label: l[id], Accel: accel} }
	var rec []MenuItem
	for _, p := range recent {
		rec = append(rec, MenuItem{ID: "open-recent:" + p, Label: filepath.Base(p) + " — " + filepath.Dir(p)})
	}
	if len(rec) == 0 {
		rec = []MenuItem{{Label: l["none"]}}
	}
	return []MenuItem{
		{Label: l["file"], Items: []MenuItem{
			item("new", "CmdOrCtrl+N"), item("open", "CmdOrCtrl+O"),
			{Label: l["recent"], Items: rec},
			item("demo", ""),
			{Separator: true},
			item("saveas", "CmdOrCtrl+Shift+S"),
			{Separator: true},
			item("import", "CmdOrCtrl+I"),
			item("export", "CmdOrCtrl+E"), item("share", ""),
			{Separator: true},
			{ID: "quit", Label: l["quit"], Accel: "CmdOrCtrl+Q"},
		}},
		{Label: l["scenario"], Items: []MenuItem{
			item("scenario:create", ""), item("scenario:clone", ""), item("scenario:rename", ""), item("scenario:delete", ""),
			{Separator: true},
			item("optimize:design", ""), item("optimize:rebalance", ""), item("optimize:report", ""),
		}},
		// No accelerators: the window would take Ctrl+Z from the page, whose own
		// handler also leaves Ctrl+Z to text fields being typed in.
		{Label: l["edit"], Items: []MenuItem{item("undo", ""), item("redo", "")}},
		// The planning model: the page opens its drawer on the tab.
		{Label: l["plan"], Items: []MenuItem{item("model:assumptions", ""), item("model:alerts", ""), item("model:quotas", ""), item("model:reps", "")}},
		{Label: l["view"], Items: []MenuItem{
			item("settings", "CmdOrCtrl+,"), {Separator: true}, item("lang:en", ""), item("lang:zh-CN", ""),
		}},
	}
}
