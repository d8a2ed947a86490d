/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import { writeFileSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'

const outDir = resolve(import.meta.dirname, 'dist')

// dist/ is build output that the Go binary embeds; emptyOutDir clears it, so
// the placeholder that keeps the directory in version control is put back.
function keepPlaceholder(): Plugin {
  return {
    name: 'territoria-keep-dist-placeholder',
    apply: 'build',
    closeBundle() {
      mkdirSync(outDir, { recursive: true })
      writeFileSync(resolve(outDir, '.gitkeep'), '')
    },
  }
}

export default defineConfig({
  base: './',
  plugins: [vue(), keepPlaceholder()],
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    target: 'es2022',
  },
  server: {
    port: 5173,
    strictPort: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
  },
})
