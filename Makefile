# Territoria — build, run and test.
#
#   make run    set up what is missing, build the desktop app, open it on the demo plan
#   make test   everything CI checks
#
# Linux builds of the desktop window need GTK 3 and WebKitGTK 4.1 (see `make deps`).
# The headless binary (CLI + browser mode) needs no system libraries.

SHELL       := /bin/bash
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1.0-dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
BIN         := build/bin
DESKTOP_TAGS := desktop,production,webkit2_41
GO          ?= go
APT         := DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300
# Debian packages: the desktop build (GTK, WebKitGTK), the browser tests
# (Chromium), the desktop smoke test (Xvfb, ImageMagick), CJK fonts, and the
# independent readers that check the exports (LibreOffice, Gnumeric, GDAL,
# poppler), and the CBC solver for the optimizer's exact comparison
# (scripts/optimize-quality mip).
SYSTEM_PKGS := libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config build-essential \
               chromium xvfb xauth xdotool imagemagick fonts-wqy-zenhei libgl1-mesa-dri \
               libreoffice-calc-nogui gnumeric gdal-bin poppler-utils python3 coinor-cbc

.PHONY: run test deps system-deps frontend desktop headless windows cross vet gotest \
        frontend-test e2e export-check smoke bench demo-data clean

run: deps desktop
	$(BIN)/territoria --demo

## Set-up ----------------------------------------------------------------------

deps: system-deps frontend/node_modules

# Installs the Debian packages that are missing (as root, or with sudo).
system-deps:
	@missing=$$(for p in $(SYSTEM_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO $(APT) update -qq && $$SUDO $(APT) install -y -qq --no-install-recommends $$missing; \
	fi

frontend/node_modules: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch frontend/node_modules

## Builds ----------------------------------------------------------------------

frontend: frontend/node_modules
	cd frontend && npm run build

desktop: frontend
	$(GO) build -tags $(DESKTOP_TAGS) -ldflags "$(LDFLAGS)" -o $(BIN)/territoria .

# The CLI and browser mode: no cgo, no system libraries.
headless: frontend
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/territoria-headless .

# The Windows desktop app, cross-compiled (Wails needs no cgo on Windows).
# Icon, manifest and version information come from build/windows (scripts/winres).
windows: frontend
	$(GO) run ./scripts/winres -arch amd64 -out territoria_windows_amd64.syso
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -tags desktop,production \
	  -ldflags "$(LDFLAGS) -H windowsgui" -o $(BIN)/territoria.exe . ; \
	  status=$$?; rm -f territoria_windows_amd64.syso; exit $$status

# engine/, storage/ and app/ build without cgo for every platform.
cross:
	for os in linux windows darwin; do \
	  echo "CGO_ENABLED=0 GOOS=$$os go build ./engine/... ./storage/... ./app/..."; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=amd64 $(GO) build ./engine/... ./storage/... ./app/... || exit 1; \
	done
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 $(GO) build ./engine/... ./storage/... ./app/...

## Tests -----------------------------------------------------------------------

test: deps vet gotest frontend-test cross windows headless e2e export-check desktop smoke
	@echo "All checks passed."

vet: frontend
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) vet -tags $(DESKTOP_TAGS) ./app/desktop/

gotest: frontend
	$(GO) test -race -count=1 ./...

frontend-test: frontend/node_modules
	cd frontend && npm run typecheck && npm test

# End-to-end tests: Playwright + Debian's Chromium against `territoria serve`.
e2e: headless
	cd frontend && TERRITORIA_BIN=$(CURDIR)/$(BIN)/territoria-headless npx playwright test

# Exports read back by LibreOffice, Gnumeric, GDAL and poppler.
export-check: headless
	TERRITORIA_BIN=$(CURDIR)/$(BIN)/territoria-headless bash scripts/export-check.sh

# The real desktop window under Xvfb; screenshot kept in artifacts/.
smoke: desktop
	bash scripts/desktop-smoke.sh $(BIN)/territoria

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/... ./storage/...

# Rebuilds the bundled demo plan from the public data (see scripts/gendemo).
demo-data: frontend/node_modules
	$(GO) run ./scripts/gendemo -out storage/demo/demo.bin.gz

clean:
	rm -rf $(BIN) frontend/dist/assets frontend/dist/index.html artifacts
