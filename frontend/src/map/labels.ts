// Territory labels as HTML markers: they need no glyph server, render any
// script the system fonts cover (Chinese included) and are hidden greedily
// when they would overlap.
import maplibregl from 'maplibre-gl'

export interface LabelSpec {
  id: string
  text: string
  sub?: string
  lngLat: [number, number]
  /** Higher first when labels collide. */
  priority: number
}

export class LabelLayer {
  private markers = new Map<string, { marker: maplibregl.Marker; el: HTMLElement; spec: LabelSpec }>()
  private selected: string | null = null
  private visible = true
  private frame = 0

  constructor(private map: maplibregl.Map, private onClick: (id: string) => void) {
    map.on('moveend', this.schedule)
    map.on('resize', this.schedule)
  }

  private schedule = () => {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.declutter()
    })
  }

  set(specs: LabelSpec[]): void {
    const keep = new Set(specs.map((s) => s.id))
    for (const [id, m] of this.markers) {
      if (!keep.has(id)) {
        m.marker.remove()
        this.markers.delete(id)
      }
    }
    for (const spec of specs) {
      let m = this.markers.get(spec.id)
      if (!m) {
        const el = document.createElement('div')
        el.className = 'territory-label'
        el.dataset.testid = `label-${spec.id}`
        el.addEventListener('click', (e) => {
          e.stopPropagation()
          this.onClick(spec.id)
        })
        const marker = new maplibregl.Marker({ element: el, anchor: 'center' }).setLngLat(spec.lngLat).addTo(this.map)
        m = { marker, el, spec }
        this.markers.set(spec.id, m)
      } else {
        m.marker.setLngLat(spec.lngLat)
        m.spec = spec
      }
      m.el.replaceChildren()
      const name = document.createElement('span')
      name.className = 'territory-label__name'
      name.textContent = spec.text
      m.el.append(name)
      if (spec.sub) {
        const sub = document.createElement('span')
        sub.className = 'territory-label__sub'
        sub.textContent = spec.sub
        m.el.append(sub)
      }
      m.el.classList.toggle('is-selected', spec.id === this.selected)
    }
    this.schedule()
  }

  setSelected(id: string | null): void {
    this.selected = id
    for (const [mid, m] of this.markers) m.el.classList.toggle('is-selected', mid === id)
    this.schedule()
  }

  setVisible(v: boolean): void {
    this.visible = v
    this.schedule()
  }

  /** Greedy placement: the selected label first, then by priority; overlapping ones are hidden. */
  declutter(): void {
    const placed: Array<[number, number, number, number]> = []
    const list = [...this.markers.values()].sort((a, b) => {
      if (a.spec.id === this.selected) return -1
      if (b.spec.id === this.selected) return 1
      return b.spec.priority - a.spec.priority
    })
    const canvas = this.map.getCanvas()
    const W = canvas.clientWidth
    const H = canvas.clientHeight
    for (const m of list) {
      if (!this.visible) {
        m.el.style.visibility = 'hidden'
        continue
      }
      const p = this.map.project(m.spec.lngLat)
      const w = m.el.offsetWidth || 60
      const h = m.el.offsetHeight || 16
      const box: [number, number, number, number] = [p.x - w / 2 - 2, p.y - h / 2 - 1, p.x + w / 2 + 2, p.y + h / 2 + 1]
      const off = box[2] < 0 || box[0] > W || box[3] < 0 || box[1] > H
      const hit = placed.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1])
      const show = !off && !hit
      m.el.style.visibility = show ? 'visible' : 'hidden'
      if (show) placed.push(box)
    }
  }

  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame)
    this.map.off('moveend', this.schedule)
    this.map.off('resize', this.schedule)
    for (const m of this.markers.values()) m.marker.remove()
    this.markers.clear()
  }
}
