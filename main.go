// Command territoria is the Territoria desktop app and its command line.
//
// main only wires things: it embeds the built frontend, reads the default
// configuration, and hands both to the command line, which opens the window
// (desktop build), serves the browser mode, or runs a subcommand.
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"

	"territoria/app"
	"territoria/app/cli"
	"territoria/app/desktop"
)

//go:embed all:frontend/dist
var assets embed.FS

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		fmt.Fprintln(os.Stderr, "territoria:", err)
		os.Exit(1)
	}
	cfg, err := app.DefaultConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, "territoria:", err)
		os.Exit(1)
	}
	os.Exit(cli.Main(os.Args[1:], cli.Env{
		Version:         version,
		Assets:          dist,
		Config:          cfg,
		WindowAvailable: desktop.Available,
		Window: func(r cli.WindowRequest) error {
			return desktop.Run(desktop.Options{Assets: dist, Plan: r.Plan, OpenPath: r.OpenPath, Demo: r.Demo, Smoke: r.Smoke, Stdout: os.Stdout})
		},
	}))
}
