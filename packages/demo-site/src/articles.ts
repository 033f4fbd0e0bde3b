/** The demo site's articles: two on one story, one on a neighbouring topic, three unrelated. */
export interface DemoArticle {
  slug: string;
  section: 'world' | 'business' | 'sport' | 'science';
  title: string;
  description: string;
  /** Local time in Pakistan Standard Time (UTC+5). */
  published: string;
  modified?: string;
  author: { name: string; role: string; bio: string };
  tags: string[];
  /** Paragraphs; a string starting with `READMORE:slug` is a "Read More:" insert linking to that article. */
  paragraphs: string[];
  /** Headline of the page's story, used to group the fixture's expectations. */
  story: string;
}

export const demoArticles: DemoArticle[] = [
  {
    slug: 'pakistan-sees-progress-as-kabul-acknowledges-ttp-issue',
    section: 'world',
    story: 'ttp-talks',
    title: 'Pakistan Sees Progress as Kabul Acknowledges TTP Issue',
    description:
      'Islamabad says the Afghan Taliban are showing a more receptive attitude toward concerns over TTP militants sheltering in Afghanistan.',
    published: '2025-07-25T14:32:00+05:00',
    modified: '2025-07-25T18:05:00+05:00',
    author: {
      name: 'Farkhund Yousafzai',
      role: 'Associate Editor',
      bio: 'Farkhund Yousafzai is an Associate Editor at The Meridian Post.',
    },
    tags: ['TTP', 'Afghanistan', 'Diplomacy'],
    paragraphs: [
      'Islamabad (TMP): Pakistan on Thursday said the Afghan Taliban are beginning to show a more receptive attitude toward Islamabad’s longstanding concerns about the presence of banned Tehreek-i-Taliban Pakistan (TTP) militants in Afghanistan, an issue that has strained ties between the two neighbours for years.',
      '“There is active engagement between the two sides. The Afghan authorities are showing a degree of understanding regarding our concerns, particularly those related to terrorist sanctuaries,” the Foreign Office spokesperson said at the weekly press briefing.',
      'The presence of TTP fighters across the border has remained the central sticking point since the Taliban took control of Kabul in August 2021. Islamabad has repeatedly said that thousands of TTP militants operate from Afghan soil and carry out attacks inside Pakistan, particularly in Khyber Pakhtunkhwa and Balochistan.',
      'READMORE:pakistan-afghanistan-reduce-tariffs-on-eight-agricultural-products',
      'Tensions rose after a ceasefire between Pakistan and the TTP collapsed in late 2022. Officials in Islamabad estimate that 3,000 to 4,000 TTP militants are based in Afghanistan, a figure the Taliban administration has routinely denied.',
      'Interior Minister Mohsin Naqvi travelled to Kabul last weekend with the special envoy for Afghanistan and met Afghan Interior Minister Sirajuddin Haqqani. The talks focused on cross-border security, the relocation of TTP fighters away from the border, refugee repatriation and drug control.',
      'READMORE:afghan-interior-minister-backs-phased-ttp-relocation-plan',
      'According to Pakistani officials, the Taliban side agreed in principle to begin a phased relocation and disarmament of TTP fighters from areas near the border, a sign that Kabul may be acknowledging the militancy problem more openly.',
      '“The technical-level talks on security are continuing,” the spokesperson said. “There is a broader sense of positivity in the relationship, and cooperation against the TTP is part of that.”',
      'Taliban Foreign Minister Amir Khan Muttaqi is expected in Islamabad in the coming weeks for follow-up talks on the TTP relocation and border security.',
    ],
  },
  {
    slug: 'afghan-interior-minister-backs-phased-ttp-relocation-plan',
    section: 'world',
    story: 'ttp-talks',
    title: 'Afghan Interior Minister Backs Phased TTP Relocation Plan After Kabul Talks',
    description:
      'Sirajuddin Haqqani and Mohsin Naqvi agree in principle to move TTP fighters away from the Pakistan border, officials say.',
    published: '2025-07-21T09:10:00+05:00',
    author: {
      name: 'Ayesha Rahman',
      role: 'Security Correspondent',
      bio: 'Ayesha Rahman covers security and foreign policy for The Meridian Post.',
    },
    tags: ['TTP', 'Afghanistan', 'Security'],
    paragraphs: [
      'Kabul (TMP): Afghan Interior Minister Sirajuddin Haqqani has backed a phased plan to relocate Tehreek-i-Taliban Pakistan (TTP) fighters away from the border with Pakistan, officials said after two days of talks in Kabul with Pakistan’s Interior Minister Mohsin Naqvi.',
      'The Taliban administration agreed in principle to disarm TTP militants who move away from the border districts, according to a Pakistani official who attended the talks. Islamabad has long accused Kabul of sheltering thousands of TTP fighters.',
      'Naqvi was accompanied by Pakistan’s special envoy for Afghanistan. The delegation raised the attacks by TTP militants in Khyber Pakhtunkhwa and Balochistan and asked the Taliban for a timetable for the relocation.',
      'Haqqani told the Pakistani delegation that the Taliban government would not allow Afghan soil to be used against any neighbour, and that a joint security committee would monitor progress on the TTP relocation.',
      'Security analysts in Islamabad said the agreement could ease the tensions that followed the collapse of the ceasefire between Pakistan and the TTP in 2022, but warned that earlier Taliban promises on the militants had not been kept.',
    ],
  },
  {
    slug: 'pakistan-afghanistan-reduce-tariffs-on-eight-agricultural-products',
    section: 'business',
    story: 'tariffs',
    title: 'Pakistan, Afghanistan Reduce Tariffs on Eight Agricultural Products',
    description:
      'A preferential trade arrangement cuts duties on fruit and vegetables crossing the Torkham and Chaman borders.',
    published: '2025-07-18T16:45:00+05:00',
    author: {
      name: 'Bilal Chaudhry',
      role: 'Business Reporter',
      bio: 'Bilal Chaudhry reports on trade and markets for The Meridian Post.',
    },
    tags: ['Trade', 'Agriculture'],
    paragraphs: [
      'Pakistan and Afghanistan have cut import duties on eight agricultural products, including grapes, pomegranates, apples and tomatoes, under an early-harvest trade arrangement signed by their commerce ministries.',
      'Exporters said the lower tariffs would make fresh produce cheaper in markets on both sides and could raise bilateral trade in fruit and vegetables by a fifth within a year.',
      'Traders at the Torkham and Chaman crossings welcomed the decision but asked for faster customs clearance, saying that perishable goods often spoil while trucks wait in line.',
      'The commerce ministry said the list of products covered by the reduced tariffs would be reviewed after six months.',
    ],
  },
  {
    slug: 'state-bank-holds-policy-rate-at-eleven-percent',
    section: 'business',
    story: 'rates',
    title: 'State Bank Holds Policy Rate at 11 Percent as Inflation Eases',
    description: 'The monetary policy committee keeps the benchmark rate unchanged for a second meeting.',
    published: '2025-07-23T15:00:00+05:00',
    author: {
      name: 'Bilal Chaudhry',
      role: 'Business Reporter',
      bio: 'Bilal Chaudhry reports on trade and markets for The Meridian Post.',
    },
    tags: ['Economy', 'Interest Rates'],
    paragraphs: [
      'The central bank kept its policy rate at 11 percent on Wednesday, saying consumer price inflation had eased but that risks from energy prices and the budget remained.',
      'The monetary policy committee said core inflation was falling more slowly than headline inflation and that real interest rates needed to stay positive to anchor expectations.',
      'Analysts had expected a pause after a series of cuts over the past year. Bond yields were little changed after the announcement, and the stock market closed slightly higher.',
      'The governor said the bank would watch the effect of the new budget on demand before deciding its next move.',
    ],
  },
  {
    slug: 'karachi-kings-win-rain-hit-final-in-last-over',
    section: 'sport',
    story: 'cricket',
    title: 'Karachi Kings Win Rain-Hit Final in the Last Over',
    description: 'A late cameo sealed the title after a two-hour rain delay at the National Stadium.',
    published: '2025-07-20T23:40:00+05:00',
    author: {
      name: 'Hamza Sheikh',
      role: 'Sports Writer',
      bio: 'Hamza Sheikh writes about cricket for The Meridian Post.',
    },
    tags: ['Cricket'],
    paragraphs: [
      'Karachi Kings won the final by three wickets with two balls to spare after a two-hour rain delay reduced the match to sixteen overs a side at the National Stadium.',
      'Chasing 148, the Kings needed fourteen runs from the last over before a pair of boundaries from their wicketkeeper turned the game in front of a full crowd.',
      'The captain praised his bowlers for keeping the target within reach on a slow pitch and dedicated the trophy to the fans who waited through the storm.',
      'The opening batter finished as the tournament’s leading run-scorer with 512 runs in twelve innings.',
    ],
  },
  {
    slug: 'glaciers-in-the-karakoram-are-melting-faster-study-finds',
    section: 'science',
    story: 'glaciers',
    title: 'Glaciers in the Karakoram Are Melting Faster, Study Finds',
    description: 'Satellite records show ice loss has doubled since 2000, raising flood risks downstream.',
    published: '2025-07-19T11:20:00+05:00',
    author: {
      name: 'Sana Mirza',
      role: 'Science Editor',
      bio: 'Sana Mirza is the Science Editor of The Meridian Post.',
    },
    tags: ['Climate', 'Glaciers'],
    paragraphs: [
      'Glaciers in the Karakoram range lost ice twice as fast in the past decade as in the 2000s, according to a study of satellite records published on Friday.',
      'The researchers measured changes in surface height across more than two thousand glaciers and found that the long-observed stability of the region had ended around 2015.',
      'Faster melting raises the risk of glacial lake outburst floods in valleys downstream, the authors wrote, and will change the seasonal flow of rivers that farms depend on.',
      'The team called for more weather stations at high altitude, where measurements remain scarce.',
    ],
  },
];
