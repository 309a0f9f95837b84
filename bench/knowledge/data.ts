/**
 * A small labelled set for the knowledge search benchmark, written for this
 * project: 70 short documents over ten topics and 24 queries, each with the
 * ids of the documents that answer it. Several queries use other words than
 * their documents (plurals, related terms), where the rankings differ.
 */

export interface BenchDoc {
  id: string;
  topic: string;
  text: string;
}

export interface BenchQuery {
  query: string;
  relevant: string[];
}

const raw: [string, string, string][] = [
  [
    "pg1",
    "postgres",
    "A logical replication slot keeps write-ahead log segments until its consumer confirms them.",
  ],
  [
    "pg2",
    "postgres",
    "Vacuum removes dead tuples left by updates and deletes so tables do not bloat.",
  ],
  [
    "pg3",
    "postgres",
    "Set wal_level to logical before creating a publication for change data capture.",
  ],
  [
    "pg4",
    "postgres",
    "Connection pooling with PgBouncer in transaction mode keeps backend counts low.",
  ],
  [
    "pg5",
    "postgres",
    "A B-tree index speeds equality and range lookups; check plans with EXPLAIN ANALYZE.",
  ],
  [
    "pg6",
    "postgres",
    "Point-in-time recovery restores a base backup and replays archived WAL to a target time.",
  ],
  ["pg7", "postgres", "Row level security policies filter which rows each database role can see."],
  [
    "ck1",
    "cooking",
    "Sourdough bread rises slowly with a starter of wild yeast; a cold proof deepens flavour.",
  ],
  ["ck2", "cooking", "Sear the steak in a very hot cast iron pan, then rest it before slicing."],
  [
    "ck3",
    "cooking",
    "A risotto needs arborio rice, warm stock added ladle by ladle, and constant stirring.",
  ],
  ["ck4", "cooking", "Emulsify mayonnaise by whisking oil drop by drop into egg yolk and mustard."],
  [
    "ck5",
    "cooking",
    "Pickled cucumbers keep for months in brine with dill, garlic and peppercorns.",
  ],
  [
    "ck6",
    "cooking",
    "Fresh pasta dough is flour and eggs kneaded until smooth, then rested and rolled thin.",
  ],
  [
    "ck7",
    "cooking",
    "Caramelize onions over low heat for forty minutes until deep brown and sweet.",
  ],
  [
    "gd1",
    "gardening",
    "Tomatoes need full sun, deep watering and stakes or cages to hold the fruit.",
  ],
  ["gd2", "gardening", "Compost kitchen scraps with dry leaves; turn the pile to keep it aerobic."],
  ["gd3", "gardening", "Prune roses in late winter just above an outward facing bud."],
  ["gd4", "gardening", "Aphids on young shoots can be washed off or left to ladybirds."],
  ["gd5", "gardening", "Mulch around shrubs keeps soil moist and suppresses weeds through summer."],
  ["gd6", "gardening", "Sow lettuce every two weeks for a steady harvest instead of one glut."],
  [
    "gd7",
    "gardening",
    "Clay soil drains poorly; add organic matter and avoid digging it when wet.",
  ],
  ["as1", "astronomy", "A total solar eclipse happens when the Moon fully covers the Sun's disk."],
  [
    "as2",
    "astronomy",
    "Jupiter's four large moons were discovered by Galileo with an early telescope.",
  ],
  [
    "as3",
    "astronomy",
    "Light pollution hides faint galaxies; dark sky sites reveal the Milky Way.",
  ],
  [
    "as4",
    "astronomy",
    "A refracting telescope uses lenses while a reflector gathers light with mirrors.",
  ],
  [
    "as5",
    "astronomy",
    "Meteor showers like the Perseids occur when Earth crosses a comet's debris trail.",
  ],
  [
    "as6",
    "astronomy",
    "Exoplanets are often found by the dip in starlight as a planet transits its star.",
  ],
  ["as7", "astronomy", "The Andromeda galaxy is the nearest large spiral galaxy to our own."],
  [
    "fi1",
    "finance",
    "An index fund tracks a market index and keeps fees low through passive investing.",
  ],
  [
    "fi2",
    "finance",
    "Compound interest grows savings because interest is earned on earlier interest.",
  ],
  ["fi3", "finance", "An emergency fund of three to six months of expenses cushions a job loss."],
  ["fi4", "finance", "Bond prices fall when interest rates rise, and rise when rates fall."],
  ["fi5", "finance", "Diversification spreads investments across assets so one loss hurts less."],
  ["fi6", "finance", "A budget tracks income against spending categories month by month."],
  ["fi7", "finance", "Inflation erodes the purchasing power of cash held over many years."],
  [
    "rn1",
    "running",
    "Easy runs at conversational pace build the aerobic base for marathon training.",
  ],
  ["rn2", "running", "Interval sessions alternate hard repeats with recovery jogs to raise speed."],
  ["rn3", "running", "Replace running shoes after roughly eight hundred kilometres of wear."],
  ["rn4", "running", "A taper cuts mileage in the final weeks so legs are fresh on race day."],
  ["rn5", "running", "Shin splints often come from increasing weekly distance too quickly."],
  [
    "rn6",
    "running",
    "Drink to thirst and take carbohydrate gels during long races over ninety minutes.",
  ],
  ["rn7", "running", "Strength work for hips and calves reduces common running injuries."],
  ["nw1", "networking", "DNS resolves domain names to IP addresses through recursive resolvers."],
  ["nw2", "networking", "TLS encrypts traffic between client and server using certificates."],
  [
    "nw3",
    "networking",
    "A load balancer spreads requests across backend servers and checks their health.",
  ],
  [
    "nw4",
    "networking",
    "TCP retransmits lost segments while UDP sends datagrams without delivery guarantees.",
  ],
  ["nw5", "networking", "A firewall allows or blocks traffic by port, protocol and address."],
  ["nw6", "networking", "HTTP/2 multiplexes many streams over a single connection."],
  ["nw7", "networking", "Subnet masks divide an IP address into network and host parts."],
  [
    "mu1",
    "music",
    "A major scale follows the pattern whole, whole, half, whole, whole, whole, half.",
  ],
  ["mu2", "music", "Guitar strings are tuned E A D G B E in standard tuning."],
  ["mu3", "music", "A metronome helps practice keep a steady tempo in beats per minute."],
  ["mu4", "music", "Chords are built by stacking thirds: a triad has root, third and fifth."],
  ["mu5", "music", "Jazz improvisation often follows the chord changes of a standard."],
  ["mu6", "music", "Piano practice with hands separately first makes difficult passages easier."],
  ["mu7", "music", "A string quartet has two violins, a viola and a cello."],
  ["tr1", "travel", "Book rail passes early; night trains save a hotel night on long journeys."],
  [
    "tr2",
    "travel",
    "Carry a passport valid six months beyond your return date for many countries.",
  ],
  ["tr3", "travel", "Travel insurance covers medical emergencies and cancelled flights abroad."],
  ["tr4", "travel", "Jet lag eases by getting daylight at the destination's morning hours."],
  ["tr5", "travel", "Pack light: a carry-on bag avoids lost luggage and waiting at the carousel."],
  [
    "tr6",
    "travel",
    "Hostels offer cheap dormitory beds and shared kitchens for budget travellers.",
  ],
  ["tr7", "travel", "Learn a few phrases of the local language; greetings open many doors."],
  ["pt1", "pets", "Puppies need socialization with people and other dogs in their first months."],
  ["pt2", "pets", "Cats scratch to mark territory; a sturdy scratching post spares the sofa."],
  ["pt3", "pets", "Vaccinate dogs against rabies and parvovirus on the vet's schedule."],
  ["pt4", "pets", "Aquarium fish need a cycled tank so bacteria can break down ammonia."],
  ["pt5", "pets", "Rabbits need hay for most of their diet and company of another rabbit."],
  ["pt6", "pets", "Brush a long haired cat daily to prevent mats and hairballs."],
  ["pt7", "pets", "Reward based training teaches dogs to sit and come when called."],
];

export const DOCS: BenchDoc[] = raw.map(([id, topic, text]) => ({ id, topic, text }));

export const QUERIES: BenchQuery[] = [
  { query: "replication slot keeps WAL", relevant: ["pg1", "pg3"] },
  { query: "table bloat from dead rows", relevant: ["pg2"] },
  { query: "restore database to an earlier time", relevant: ["pg6"] },
  { query: "too many database connections", relevant: ["pg4"] },
  { query: "which rows can a role see", relevant: ["pg7"] },
  { query: "bread with wild yeast starter", relevant: ["ck1"] },
  { query: "how to cook steak", relevant: ["ck2"] },
  { query: "homemade pasta eggs flour", relevant: ["ck6"] },
  { query: "onions slowly browned", relevant: ["ck7"] },
  { query: "growing tomatoes in the sun", relevant: ["gd1"] },
  { query: "keep weeds down and soil moist", relevant: ["gd5", "gd7"] },
  { query: "pests on shoots", relevant: ["gd4"] },
  { query: "moon covers the sun", relevant: ["as1"] },
  { query: "telescope lenses or mirrors", relevant: ["as4", "as2"] },
  { query: "planets around other stars", relevant: ["as6"] },
  { query: "passive index investing fees", relevant: ["fi1", "fi5"] },
  { query: "interest rates and bonds", relevant: ["fi4", "fi2"] },
  { query: "marathon training pace", relevant: ["rn1", "rn4"] },
  { query: "running injuries prevention", relevant: ["rn5", "rn7"] },
  { query: "encrypt traffic with certificates", relevant: ["nw2"] },
  { query: "spread requests across servers", relevant: ["nw3"] },
  { query: "chords triads thirds", relevant: ["mu4", "mu5"] },
  { query: "cheap places to sleep while travelling", relevant: ["tr6", "tr1"] },
  { query: "training a dog to come", relevant: ["pt7", "pt1"] },
];
