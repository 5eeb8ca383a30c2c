/**
 * What the simulated businesses offer: the shop's products, the media library and its plans,
 * the marketing campaigns. Prices are in roubles.
 */

export interface Product {
  id: string;
  name: string;
  category: string;
  brand: string;
  price: number;
}

const PRODUCT_ROWS = `
smartphones|Смартфон Galaxy A55 8/256|Samsung|38990;Смартфон Redmi Note 13 Pro|Xiaomi|27490;Смартфон iPhone 15 128 ГБ|Apple|79990;Смартфон Pixel 8a|Google|45990
laptops|Ноутбук MateBook D 16|Huawei|64990;Ноутбук IdeaPad Slim 3|Lenovo|49990;Ноутбук MacBook Air 13 M3|Apple|129990
audio|Наушники AirPods Pro 2|Apple|21990;Наушники WH-1000XM5|Sony|32990;Колонка Яндекс Станция Мини|Яндекс|7990;Наушники Buds FE|Samsung|5990
home|Робот-пылесос S10|Dreame|34990;Кофемашина EP2231|Philips|39990;Чайник электрический KE-1702|Polaris|2490;Увлажнитель воздуха HU-4|Xiaomi|4990
clothing|Куртка зимняя мужская|Outventure|12990;Пуховик женский|Finn Flare|18990;Кроссовки беговые Pegasus 40|Nike|11990;Футболка базовая|Befree|999;Джинсы прямые 501|Levi's|7990
beauty|Крем для лица увлажняющий|La Roche-Posay|2290;Шампунь для объёма|L'Oréal|590;Парфюмерная вода Libre 50 мл|YSL|11990;Набор кистей для макияжа|Clarette|1490
kids|Конструктор City Пожарная часть|LEGO|6990;Коляска прогулочная Lite|Happy Baby|15990;Пазл 1000 элементов|Ravensburger|1290
sports|Гантели разборные 2×10 кг|Torneo|4990;Коврик для йоги 6 мм|Demix|1290;Велосипед горный Rockrider ST 100|Decathlon|24990;Фитнес-браслет Band 8|Xiaomi|3490
books|Книга «Мастер и Маргарита»|Азбука|490;Книга «Атомные привычки»|Манн, Иванов и Фербер|890;Книга «Думай медленно, решай быстро»|АСТ|790
grocery|Кофе в зёрнах 1 кг|Lavazza|1890;Чай зелёный 100 пакетиков|Greenfield|390;Набор сладостей подарочный|Коркунов|1190
`;

export const PRODUCTS: readonly Product[] = PRODUCT_ROWS.trim()
  .split('\n')
  .flatMap((line, row) => {
    const at = line.indexOf('|');
    const category = line.slice(0, at);
    return line
      .slice(at + 1)
      .split(';')
      .map((item, i) => {
        const [name, brand, price] = item.split('|');
        return { id: `sku-${1000 + row * 20 + i}`, name, category, brand, price: Number(price) };
      });
  });

export const SEARCH_QUERIES: readonly string[] = [
  'iphone',
  'айфон 15',
  'наушники беспроводные',
  'кофемашина',
  'пылесос робот',
  'кроссовки nike',
  'пуховик женский',
  'lego',
  'ноутбук для учёбы',
  'подарок на 8 марта',
  'смартфон до 30000',
  'samsung galaxy',
  'увлажнитель',
  'йога коврик',
  'кросовки', // typo on purpose
  'headphones',
  'coffee beans',
  'яндекс станция',
];

export interface Content {
  id: string;
  title: string;
  type: 'movie' | 'episode';
  genre: string;
  /** Seconds. */
  length: number;
  /** Relative popularity. */
  weight: number;
  /** Watchable without a subscription. */
  free: boolean;
}

const MOVIES: readonly (readonly [string, string, number])[] = [
  ['Северное сияние', 'drama', 118],
  ['Последний рейс', 'thriller', 104],
  ['Тихий океан', 'adventure', 131],
  ['Дом на набережной', 'drama', 97],
  ['Код доступа', 'thriller', 112],
  ['Весна в Казани', 'comedy', 89],
  ['Moscow Nights', 'romance', 101],
  ['The Long Winter', 'drama', 125],
  ['Снежная королева: новая история', 'animation', 84],
  ['Операция «Ы» навсегда', 'comedy', 92],
];

const SERIES: readonly (readonly [string, string, number, number])[] = [
  ['Метро 2049', 'sci-fi', 8, 48],
  ['Участок', 'crime', 10, 52],
  ['Кухня будущего', 'comedy', 12, 24],
  ['The Baltic Files', 'crime', 6, 55],
  ['Сибирь', 'drama', 8, 45],
];

export const CONTENT: readonly Content[] = [
  ...MOVIES.map(([title, genre, minutes], i) => ({
    id: `movie-${101 + i}`,
    title,
    type: 'movie' as const,
    genre,
    length: minutes * 60,
    weight: 10 / (i + 1),
    free: i % 4 === 3,
  })),
  ...SERIES.flatMap(([title, genre, episodes, minutes], s) =>
    Array.from({ length: episodes }, (_, e) => ({
      id: `series-${s + 1}-s01e${String(e + 1).padStart(2, '0')}`,
      title: `${title}, серия ${e + 1}`,
      type: 'episode' as const,
      genre,
      length: minutes * 60 + ((e * 37) % 240),
      weight: 14 / (s + 1) / (1 + e * 0.35),
      free: e === 0,
    })),
  ),
];

export interface Plan {
  plan: 'monthly' | 'annual' | 'family';
  price: number;
  /** Days per billing period. */
  periodDays: number;
  weight: number;
}

export const PLANS: readonly Plan[] = [
  { plan: 'monthly', price: 399, periodDays: 30, weight: 65 },
  { plan: 'family', price: 599, periodDays: 30, weight: 20 },
  { plan: 'annual', price: 3990, periodDays: 365, weight: 15 },
];

export interface Campaign {
  source: string;
  medium: string;
  name: string;
  /** The click-id query parameter the ad network appends. */
  clickId?: 'yclid' | 'gclid';
  product: 'shop' | 'media';
  /** Share of first touches (paid and unpaid) among new visitors of the product. */
  weight: number;
  /** How much likelier than average the people it brings are to buy or subscribe. */
  quality: number;
  /** Cost per click in roubles; absent for unpaid channels (no spend rows). */
  cpc?: number;
  /** Click-through rate of impressions. */
  ctr?: number;
}

export const CAMPAIGNS: readonly Campaign[] = [
  {
    source: 'yandex',
    medium: 'cpc',
    name: 'shop_search_brand',
    clickId: 'yclid',
    product: 'shop',
    weight: 12,
    quality: 1.7,
    cpc: 24,
    ctr: 0.08,
  },
  {
    source: 'yandex',
    medium: 'cpc',
    name: 'shop_search_generic',
    clickId: 'yclid',
    product: 'shop',
    weight: 16,
    quality: 1,
    cpc: 78,
    ctr: 0.035,
  },
  {
    source: 'google',
    medium: 'cpc',
    name: 'shop_search_generic',
    clickId: 'gclid',
    product: 'shop',
    weight: 7,
    quality: 0.9,
    cpc: 95,
    ctr: 0.03,
  },
  {
    source: 'vk',
    medium: 'paid_social',
    name: 'spring_sale',
    product: 'shop',
    weight: 9,
    quality: 0.6,
    cpc: 42,
    ctr: 0.009,
  },
  {
    source: 'telegram',
    medium: 'cpm',
    name: 'tech_channels',
    product: 'shop',
    weight: 5,
    quality: 0.4,
    cpc: 64,
    ctr: 0.006,
  },
  {
    source: 'yandex',
    medium: 'cpc',
    name: 'kino_subscription',
    clickId: 'yclid',
    product: 'media',
    weight: 14,
    quality: 1.2,
    cpc: 48,
    ctr: 0.04,
  },
  {
    source: 'vk',
    medium: 'paid_social',
    name: 'kino_premiere',
    product: 'media',
    weight: 10,
    quality: 0.7,
    cpc: 30,
    ctr: 0.011,
  },
  {
    source: 'google',
    medium: 'cpc',
    name: 'kino_brand',
    clickId: 'gclid',
    product: 'media',
    weight: 4,
    quality: 1.5,
    cpc: 35,
    ctr: 0.06,
  },
  { source: 'email', medium: 'email', name: 'weekly_digest', product: 'shop', weight: 0, quality: 1 },
  { source: 'email', medium: 'email', name: 'new_episodes', product: 'media', weight: 0, quality: 1 },
  {
    source: 'mytarget',
    medium: 'cpc',
    name: 'retargeting_cart',
    product: 'shop',
    weight: 0,
    quality: 1,
    cpc: 22,
    ctr: 0.012,
  },
];

/** Paid campaigns: the ones with spend rows. */
export const PAID_CAMPAIGNS = CAMPAIGNS.filter((c) => c.cpc !== undefined);

/** Share of sessions starting at each local hour (0..23). */
export const HOURLY: readonly (readonly [number, number])[] = [
  0.6, 0.3, 0.15, 0.1, 0.1, 0.2, 0.6, 1.4, 2.2, 2.6, 2.8, 3, 3.4, 3.2, 3, 3, 3.2, 3.6, 4.4, 5.4, 6, 5.6, 4, 2,
].map((w, hour) => [hour, w] as const);
