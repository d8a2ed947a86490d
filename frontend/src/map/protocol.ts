// The territoria:// protocol: MapLibre asks for territoria://accounts/z/x/y,
// the loader fetches the same-origin path Go serves (cookies carry the token
// in browser mode; wails:// serves it from the asset handler on the desktop).
import maplibregl from 'maplibre-gl'
import { tileFetchPath } from '../api'

/** Fetches one account tile; an absent tile (204/404) is an empty tile. */
export async function loadAccountTile(
  url: string,
  signal?: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): Promise<ArrayBuffer> {
  const res = await fetchImpl(tileFetchPath(url), { signal, credentials: 'same-origin' })
  if (res.status === 204 || res.status === 404) return new ArrayBuffer(0)
  if (!res.ok) throw new Error(`account tile ${url}: HTTP ${res.status}`)
  return res.arrayBuffer()
}

let registered = false

/** Registers the protocol once per page. */
export function registerTileProtocol(): void {
  if (registered) return
  registered = true
  maplibregl.addProtocol('territoria', async (params, abort) => ({
    data: await loadAccountTile(params.url, abort.signal),
  }))
}
