// A small seeded pseudo-random generator: the same seed gives the same sequence on every
// machine and Node version (no Math.random, no clock). sfc32 seeded through a string hash.

/** 32-bit FNV-1a of a string: turns the --seed value into generator state. */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// The alphabet of k8s.io/apimachinery/pkg/util/rand.String (generateName suffixes, pod-template-hash).
const K8S_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const HEX = '0123456789abcdef';

export class Rng {
  constructor(seed, stream = '') {
    const s = String(seed);
    this.a = fnv1a(`a:${s}:${stream}`);
    this.b = fnv1a(`b:${s}:${stream}`);
    this.c = fnv1a(`c:${s}:${stream}`);
    this.d = fnv1a(`d:${s}:${stream}`) | 1;
    for (let i = 0; i < 16; i++) this.u32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  u32() {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next() {
    return this.u32() / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p) {
    return this.next() < p;
  }

  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }

  hex(n) {
    let out = '';
    while (out.length < n) {
      let v = this.u32();
      for (let i = 0; i < 8 && out.length < n; i++, v >>>= 4) out += HEX[v & 15];
    }
    return out;
  }

  /** What the API server assigns as metadata.uid (a version-4 UUID). */
  uuid() {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.u32() & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A generateName-style suffix (`x2x4z`). */
  suffix(n) {
    let out = '';
    for (let i = 0; i < n; i++) out += K8S_ALPHANUMS[this.u32() % K8S_ALPHANUMS.length];
    return out;
  }
}
