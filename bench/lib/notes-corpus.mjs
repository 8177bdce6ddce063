// A generated corpus of support notes for the notes-search benchmark: Markdown bodies (~750 bytes on
// average, so 100k notes are ~75 MB) drawn from a vocabulary with a Zipf-like spread, so a few words are
// in most notes and most words are in a handful; and the query classes measured against it.
// Deterministic for a seed, so runs compare.

/** Mulberry32: small, fast, seedable. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The words support engineers write most, then made-up words from syllables for the long tail.
const COMMON = `the to and a of in is on for after check restart server service run before with from log logs
database db disk queue call calls dialer agent agents node failover backup config customer site host port
user users error timeout job jobs nightly report reports cron script version upgrade patch ticket ssh
network vpn gateway proxy cert certificate expiry memory cpu load alert monitor monitoring switch standby
primary replica replication sync lag retention cleanup purge archive rotate voice logger recording trunk
sip gateway carrier route routing ivr campaign lead leads list schedule window maintenance release rollback
deploy build install package kernel reboot mount volume partition space inode tmp var opt etc systemctl
journalctl grep tail kill process pid thread heap gc java tomcat nginx apache postgres mysql redis kafka
zookeeper elastic index shard query slow lock deadlock vacuum analyze table column row`.split(/\s+/).filter(Boolean);

const SYLLABLES = ['ka', 'ro', 'mi', 'tel', 'van', 'sor', 'pe', 'lin', 'dra', 'qu', 'ex', 'zan', 'bo', 'ri', 'cas',
  'ne', 'tor', 'ul', 'phi', 'gra', 'mon', 'se', 'vi', 'ax', 'ter', 'lo', 'fen', 'du', 'sta', 'wy', 'or', 'ict',
  'bel', 'ha', 'nu', 'jo', 'ke', 'ym', 'ost', 'ba'];

export function makeVocabulary(size, random) {
  const words = [...new Set(COMMON)];
  const seen = new Set(words);
  while (words.length < size) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(w)) { seen.add(w); words.push(w); }
  }
  return words;
}

/** Rank r is drawn with weight 1/(r+1)^s: a cumulative table and a binary search. */
function zipfSampler(n, s, random) {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) { total += 1 / Math.pow(r + 1, s); cumulative[r] = total; }
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cumulative[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  };
}

export function makeCorpus({ notes, seed = 13, vocabulary = 40_000 }) {
  const random = rng(seed);
  const words = makeVocabulary(vocabulary, random);
  const pick = zipfSampler(words.length, 1.05, random);
  const word = () => words[pick()];
  const sentence = (n) => { const w = []; for (let i = 0; i < n; i++) w.push(word()); w[0] = w[0][0].toUpperCase() + w[0].slice(1); return `${w.join(' ')}.`; };
  const host = () => `${['app', 'db', 'pbx', 'web', 'dialer'][Math.floor(random() * 5)]}${Math.floor(random() * 40)}`;
  function note(i) {
    const title = `${sentence(2 + Math.floor(random() * 4)).slice(0, -1)} on ${host()}`;
    const parts = [];
    const paragraphs = 2 + Math.floor(random() * 4);
    for (let p = 0; p < paragraphs; p++) {
      const kind = random();
      if (kind < 0.15) parts.push(`## ${sentence(3)}`);
      if (kind < 0.35) parts.push(Array.from({ length: 2 + Math.floor(random() * 3) }, () => `- ${sentence(4 + Math.floor(random() * 6))}`).join('\n'));
      else if (kind < 0.45) parts.push(`\`\`\`\nsystemctl restart ${word()} && tail -n 100 /var/log/${word()}/${word()}.log\n\`\`\``);
      else if (kind < 0.5) parts.push(`See [the ${word()} runbook](https://wiki.example.com/${word()}) and **${word()}** on \`${host()}\`.`);
      else parts.push(Array.from({ length: 2 + Math.floor(random() * 5) }, () => sentence(6 + Math.floor(random() * 12))).join(' '));
    }
    return { title, body: parts.join('\n\n'), i };
  }
  return { words, note, count: notes };
}

/**
 * 200 queries per class, drawn the way people type: common words are the top of the vocabulary,
 * rare words the tail (in a few notes each), two words a common and a middling one, prefixes the first
 * letters of words picked by how often they are written.
 */
export function makeQueries(words, perClass = 200, seed = 7) {
  const random = rng(seed);
  const pickTop = (from, to) => words[from + Math.floor(random() * (to - from))];
  const pick = zipfSampler(words.length, 1.05, random);
  const weighted = () => words[pick()];
  const classes = { rare: [], common: [], two_words: [], prefix_1_2: [], prefix_3_4: [] };
  for (let i = 0; i < perClass; i++) {
    classes.rare.push(pickTop(Math.floor(words.length * 0.6), words.length));
    classes.common.push(pickTop(0, 40));
    classes.two_words.push(`${pickTop(0, 200)} ${pickTop(200, 3000)}`);
    let w;
    do w = weighted(); while (w.length < 2);
    classes.prefix_1_2.push(w.slice(0, 1 + (i % 2)));
    do w = weighted(); while (w.length < 4);
    classes.prefix_3_4.push(w.slice(0, 3 + (i % 2)));
  }
  return classes;
}
