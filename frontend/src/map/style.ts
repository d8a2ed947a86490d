// The offline basemap style and the plan's overlay layers.
import { darken } from '../format'
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl'

export const COLORS = {
  water: '#dce6ee',
  land: '#f7f6f2',
  countryBorder: '#a9b0ba',
  stateLine: '#c3c9d1',
  unassigned: '#d9dde3',
  unitLine: '#ffffff',
  territoryBorder: '#2f3744',
  edge: '#4b5563',
  accountDefault: '#6b7280',
  accountStroke: '#374151',
}

export const BASEMAP_FILES = ['land', 'nation', 'countries', 'states'] as const

const empty = () => ({ type: 'FeatureCollection' as const, features: [] })

/** A style with no network resources: no glyphs, no sprite, data filled in later. */
export function offlineStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'Territoria offline',
    sources: Object.fromEntries(BASEMAP_FILES.map((f) => [`basemap-${f}`, { type: 'geojson', data: empty() }])),
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': COLORS.water } },
      { id: 'basemap-land', type: 'fill', source: 'basemap-land', paint: { 'fill-color': COLORS.land, 'fill-antialias': false } },
      { id: 'basemap-nation', type: 'fill', source: 'basemap-nation', paint: { 'fill-color': COLORS.land, 'fill-antialias': false } },
      {
        id: 'basemap-states',
        type: 'line',
        source: 'basemap-states',
        paint: { 'line-color': COLORS.stateLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.5, 8, 1.2] },
      },
      {
        id: 'basemap-countries',
        type: 'line',
        source: 'basemap-countries',
        paint: { 'line-color': COLORS.countryBorder, 'line-width': ['interpolate', ['linear'], ['zoom'], 1, 0.6, 8, 1.6] },
      },
    ],
  }
}

/** A match over the alignment's territory colours by territory index t, each darkened by k. */
function byTerritory(colors: readonly string[], k: number, fallback: string): ExpressionSpecification | string {
  if (!colors.length) return fallback
  const pairs: (number | string)[] = []
  colors.forEach((c, i) => pairs.push(i, c ? darken(c, k) : fallback))
  return ['match', ['to-number', ['get', 't'], -1], ...pairs, fallback] as unknown as ExpressionSpecification
}

/** Circle colour by territory index t: darker than the fill so accounts stay visible inside their own territory. */
export function accountColorExpression(colors: readonly string[]): ExpressionSpecification | string {
  return byTerritory(colors, 0.3, COLORS.accountDefault)
}

/** Circle outline by territory index t: a thin, darker ring that keeps overlapping circles apart. */
export function accountStrokeExpression(colors: readonly string[]): ExpressionSpecification | string {
  return byTerritory(colors, 0.6, COLORS.accountStroke)
}

export const UNIT_OPACITY = {
  normal: 0.62,
  dimmed: 0.28,
  selected: 0.88,
}

/** fill-opacity for units given whether some territory is selected. */
export function unitOpacity(hasSelection: boolean): ExpressionSpecification {
  return [
    'case',
    ['boolean', ['feature-state', 'hover'], false],
    hasSelection ? UNIT_OPACITY.selected : 0.8,
    ['boolean', ['feature-state', 'sel'], false],
    UNIT_OPACITY.selected,
    ['==', ['feature-state', 'color'], null],
    0.35,
    hasSelection ? UNIT_OPACITY.dimmed : UNIT_OPACITY.normal,
  ]
}

const N = ['to-number', ['get', 'n'], 1] as unknown as ExpressionSpecification
const LOG_P = ['ln', ['+', 1, ['max', 0, ['to-number', ['get', 'p'], 0]]]] as unknown as ExpressionSpecification

/** Largest radius of an account group, in pixels, however many accounts it holds. */
export const GROUP_RADIUS_MAX = 14

/**
 * Radius of an account circle at one zoom stop: a single account grows with
 * its potential from min to max pixels; a group grows with the square root of
 * its account count (so its area follows the count), times k, up to
 * GROUP_RADIUS_MAX.
 */
function accountRadius(min: number, max: number, k: number): ExpressionSpecification {
  const g = (r: number) => Math.min(GROUP_RADIUS_MAX, Math.round(r * k * 10) / 10)
  return [
    'case',
    ['>', N, 1],
    ['interpolate', ['linear'], ['sqrt', N], 1, g(2), 2, g(3.4), 4, g(5.6), 10, g(9.5), 25, GROUP_RADIUS_MAX],
    ['interpolate', ['linear'], LOG_P, 0, min, 14, max],
  ] as unknown as ExpressionSpecification
}

/** Layers drawn over the basemap, bottom to top. */
export function overlayLayers(): LayerSpecification[] {
  return [
    {
      id: 'units-fill',
      type: 'fill',
      source: 'units',
      paint: {
        'fill-color': ['coalesce', ['feature-state', 'color'], COLORS.unassigned],
        'fill-opacity': unitOpacity(false),
        'fill-antialias': false,
      },
    },
    {
      id: 'units-line',
      type: 'line',
      source: 'units',
      minzoom: 3,
      paint: {
        'line-color': COLORS.unitLine,
        'line-opacity': ['interpolate', ['linear'], ['zoom'], 3, 0.25, 7, 0.7],
        'line-width': ['interpolate', ['linear'], ['zoom'], 3, 0.3, 8, 1],
      },
    },
    {
      id: 'borders-edge',
      type: 'line',
      source: 'borders',
      filter: ['==', ['get', 'kind'], 'edge'],
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': COLORS.edge,
        'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.8, 8, 1.8],
      },
    },
    {
      id: 'borders-territory',
      type: 'line',
      source: 'borders',
      filter: ['!=', ['get', 'kind'], 'edge'],
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': COLORS.territoryBorder,
        'line-width': ['interpolate', ['linear'], ['zoom'], 2, 1, 6, 1.8, 10, 3],
      },
    },
  ]
}

/** The account circles over the vector tile source "accounts" (added when the plan's tiles are known). */
export function accountLayer(): LayerSpecification {
  return {
    id: 'accounts-circle',
    type: 'circle',
    source: 'accounts',
    'source-layer': 'accounts',
    // Large groups first, so smaller circles stay on top and visible.
    layout: { 'circle-sort-key': ['-', 0, N] as ExpressionSpecification },
    paint: {
      'circle-color': COLORS.accountDefault,
      // zoom may only drive a top-level interpolate, so each stop chooses between group and single size.
      'circle-radius': [
        'interpolate',
        ['linear'],
        ['zoom'],
        3,
        accountRadius(1.4, 2.2, 0.75),
        4,
        accountRadius(1.8, 2.8, 1),
        8,
        accountRadius(2.6, 4.5, 1),
        12,
        accountRadius(3.5, 7, 1),
      ],
      'circle-opacity': ['case', ['>', N, 1], 0.5, 0.75] as ExpressionSpecification,
      'circle-stroke-color': COLORS.accountStroke,
      'circle-stroke-opacity': 0.9,
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 3, 0.5, 8, 0.8, 12, 1],
    },
  }
}
