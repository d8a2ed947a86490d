//go:build desktop

package desktop

import (
	"context"
	"fmt"
	goruntime "runtime"
	"strings"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"territoria/app"
)

// Available reports whether this build can open a window.
const Available = true

// Run opens the window and blocks until it is closed.
func Run(o Options) error {
	svc := o.Plan
	var ctx context.Context
	appMenu := menu.NewMenu()

	// The menu made before the window exists must already work: on Linux
	// the first menu stays in place even when a new one is set later.
	click := func(id string) {
		if ctx == nil {
			return
		}
		if id == "quit" {
			runtime.Quit(ctx)
			return
		}
		runtime.EventsEmit(ctx, app.EventMenuAction, id)
	}
	rebuildMenu := func() {
		if ctx == nil {
			return
		}
		fillMenu(appMenu, app.CurrentMenu(svc), click)
		runtime.MenuUpdateApplicationMenu(ctx)
	}
	fillMenu(appMenu, app.CurrentMenu(svc), click)

	win := app.WindowState(svc)
	width, height := win.Width, win.Height
	if width < 800 || height < 560 {
		width, height = 1360, 860
	}
	start := options.Normal
	if win.Maximised {
		start = options.Maximised
	}

	return wails.Run(&options.App{
		Title:            "Territoria",
		Width:            width,
		Height:           height,
		MinWidth:         800,
		MinHeight:        560,
		WindowStartState: start,
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		AssetServer:      &assetserver.Options{Assets: o.Assets, Handler: app.TileHandler(svc)},
		Menu:             appMenu,
		Bind:             app.Bindings(svc),
		OnStartup: func(c context.Context) {
			ctx = c
			app.Wire(svc, app.Wiring{
				Emitter: app.EmitterFunc(func(name string, data any) { runtime.EventsEmit(ctx, name, data) }),
				Dialogs: dialogs{ctx: c},
				OnReady: func(detail string) {
					if o.Smoke && o.Stdout != nil {
						fmt.Fprintf(o.Stdout, "ready: %s\n", detail)
					}
				},
				OnMenuChanged: rebuildMenu,
				OnLog: func(level, message string) {
					if o.Smoke && o.Stdout != nil {
						fmt.Fprintf(o.Stdout, "page %s: %s\n", level, message)
					}
				},
				OnEdit: func(kind string) {
					if o.Smoke && o.Stdout != nil {
						fmt.Fprintf(o.Stdout, "edited: %s\n", kind)
					}
				},
			})
			rebuildMenu()
			if win.Width >= 800 && !win.Maximised && (win.X != 0 || win.Y != 0) {
				runtime.WindowSetPosition(ctx, win.X, win.Y)
			}
			app.OpenAtStart(svc, o.OpenPath, o.Demo)
		},
		OnBeforeClose: func(c context.Context) bool {
			st := app.WindowState(svc)
			st.Maximised = runtime.WindowIsMaximised(c)
			if !st.Maximised {
				st.X, st.Y = runtime.WindowGetPosition(c)
				st.Width, st.Height = runtime.WindowGetSize(c)
			}
			app.SaveWindowState(svc, st)
			return false
		},
		OnShutdown: func(context.Context) { app.Shutdown(svc) },
		Linux:      &linux.Options{ProgramName: "territoria", WebviewGpuPolicy: linux.WebviewGpuPolicyOnDemand},
		Mac: &mac.Options{
			About: &mac.AboutInfo{Title: "Territoria", Message: "Sales territory planning"},
		},
		Windows: &windows.Options{},
	})
}

// fillMenu replaces m's items with the app's menu model.
func fillMenu(m *menu.Menu, items []app.MenuItem, click func(id string)) {
	m.Items = nil
	if goruntime.GOOS == "darwin" {
		m.Append(menu.AppMenu())
		m.Append(menu.EditMenu())
	}
	for _, it := range items {
		m.Append(toWails(it, click))
	}
}

func toWails(it app.MenuItem, click func(string)) *menu.MenuItem {
	if it.Separator {
		return menu.Separator()
	}
	if len(it.Items) > 0 {
		sub := menu.NewMenu()
		for _, c := range it.Items {
			sub.Append(toWails(c, click))
		}
		return menu.SubMenu(it.Label, sub)
	}
	var acc *keys.Accelerator
	if it.Accel != "" {
		acc = accelerator(it.Accel)
	}
	id := it.ID
	mi := menu.Text(it.Label, acc, func(*menu.CallbackData) {
		if id != "" {
			click(id)
		}
	})
	if id == "" {
		mi.Disabled = true
	}
	return mi
}

// accelerator parses "CmdOrCtrl+Shift+S".
func accelerator(s string) *keys.Accelerator {
	parts := strings.Split(s, "+")
	key := strings.ToLower(parts[len(parts)-1])
	var mods []keys.Modifier
	for _, p := range parts[:len(parts)-1] {
		switch p {
		case "CmdOrCtrl":
			mods = append(mods, keys.CmdOrCtrlKey)
		case "Shift":
			mods = append(mods, keys.ShiftKey)
		case "Alt":
			mods = append(mods, keys.OptionOrAltKey)
		}
	}
	return &keys.Accelerator{Key: key, Modifiers: mods}
}

type dialogs struct{ ctx context.Context }

var planFilter = []runtime.FileFilter{{DisplayName: "Territoria plan (*.territoria)", Pattern: "*.territoria"}}

func (d dialogs) OpenPlanFile(title string) (string, error) {
	return runtime.OpenFileDialog(d.ctx, runtime.OpenDialogOptions{Title: title, Filters: planFilter})
}

func (d dialogs) SavePlanFile(title, name string) (string, error) {
	return runtime.SaveFileDialog(d.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: name, Filters: planFilter})
}

func fileFilters(fs []app.FileFilter) []runtime.FileFilter {
	out := make([]runtime.FileFilter, len(fs))
	for i, f := range fs {
		out[i] = runtime.FileFilter{DisplayName: f.DisplayName, Pattern: f.Pattern}
	}
	return out
}

func (d dialogs) OpenFile(title string, filters []app.FileFilter) (string, error) {
	return runtime.OpenFileDialog(d.ctx, runtime.OpenDialogOptions{Title: title, Filters: fileFilters(filters)})
}

func (d dialogs) SaveFile(title, name string, filters []app.FileFilter) (string, error) {
	return runtime.SaveFileDialog(d.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: name, Filters: fileFilters(filters)})
}
