/** Fixed reference data for the demo retailer: its locations and the shape of its assortment. */

export interface LocationSpec {
  code: string;
  name: string;
  type: 'STORE' | 'WAREHOUSE';
  address: string;
  lat: number;
  lng: number;
  pickupEnabled: boolean;
  beacons: number;
  /** Relative share of customers who call this store home (0 for the warehouse). */
  customerShare: number;
}

/** Real city centres; the last entry is the EC warehouse. */
export const LOCATIONS: readonly LocationSpec[] = [
  { code: 'TKY-SHIBUYA', name: 'Shibuya Flagship', type: 'STORE', address: '1-14-14 Jinnan, Shibuya-ku, Tokyo 150-0041, Japan', lat: 35.6618, lng: 139.6993, pickupEnabled: true, beacons: 3, customerShare: 1.4 },
  { code: 'TKY-SHINJUKU', name: 'Shinjuku', type: 'STORE', address: '3-17-1 Shinjuku, Shinjuku-ku, Tokyo 160-0022, Japan', lat: 35.6916, lng: 139.7043, pickupEnabled: true, beacons: 3, customerShare: 1.4 },
  { code: 'TKY-GINZA', name: 'Ginza', type: 'STORE', address: '4-3-2 Ginza, Chuo-ku, Tokyo 104-0061, Japan', lat: 35.6717, lng: 139.765, pickupEnabled: true, beacons: 3, customerShare: 1.0 },
  { code: 'KNG-YOKOHAMA', name: 'Yokohama', type: 'STORE', address: '2-16-1 Takashima, Nishi-ku, Yokohama, Kanagawa 220-0011, Japan', lat: 35.4658, lng: 139.6223, pickupEnabled: true, beacons: 2, customerShare: 1.0 },
  { code: 'OSK-UMEDA', name: 'Osaka Umeda', type: 'STORE', address: '3-1-3 Umeda, Kita-ku, Osaka 530-0001, Japan', lat: 34.7025, lng: 135.4959, pickupEnabled: true, beacons: 3, customerShare: 1.3 },
  { code: 'KYT-KAWARAMACHI', name: 'Kyoto Kawaramachi', type: 'STORE', address: '68 Shincho, Shimogyo-ku, Kyoto 600-8001, Japan', lat: 35.0037, lng: 135.769, pickupEnabled: false, beacons: 2, customerShare: 0.6 },
  { code: 'NGY-SAKAE', name: 'Nagoya Sakae', type: 'STORE', address: '3-5-12 Sakae, Naka-ku, Nagoya, Aichi 460-0008, Japan', lat: 35.1703, lng: 136.9084, pickupEnabled: true, beacons: 2, customerShare: 0.8 },
  { code: 'FKO-TENJIN', name: 'Fukuoka Tenjin', type: 'STORE', address: '2-5-35 Tenjin, Chuo-ku, Fukuoka 810-0001, Japan', lat: 33.5911, lng: 130.3988, pickupEnabled: true, beacons: 2, customerShare: 0.8 },
  { code: 'SPR-ODORI', name: 'Sapporo Odori', type: 'STORE', address: '3-1 Minami 1-jo Nishi, Chuo-ku, Sapporo, Hokkaido 060-0061, Japan', lat: 43.0605, lng: 141.3545, pickupEnabled: false, beacons: 2, customerShare: 0.6 },
  { code: 'SDJ-ICHIBANCHO', name: 'Sendai Ichibancho', type: 'STORE', address: '3-8-1 Ichibancho, Aoba-ku, Sendai, Miyagi 980-0811, Japan', lat: 38.2592, lng: 140.871, pickupEnabled: true, beacons: 2, customerShare: 0.5 },
  { code: 'CHB-ICHIKAWA-DC', name: 'Ichikawa EC Fulfilment Centre', type: 'WAREHOUSE', address: '2-5 Shiohama, Ichikawa, Chiba 272-0127, Japan', lat: 35.6686, lng: 139.9322, pickupEnabled: false, beacons: 0, customerShare: 0 },
];

export type Season = 'SS' | 'AW' | 'CORE';
export type SizeRun = 'APPAREL' | 'SHOES' | 'SOCKS' | 'FREE';
export type StyleTag = 'basic' | 'minimal' | 'casual' | 'street' | 'outdoor' | 'office' | 'feminine';
export const STYLE_TAGS: readonly StyleTag[] = ['basic', 'minimal', 'casual', 'street', 'outdoor', 'office', 'feminine'];

export type CategoryName =
  | 'T-shirts' | 'Shirts' | 'Knitwear' | 'Outerwear' | 'Trousers' | 'Skirts'
  | 'Dresses' | 'Shoes' | 'Bags' | 'Accessories' | 'Socks' | 'Innerwear';

export interface CategorySpec {
  name: CategoryName;
  sizeRun: SizeRun;
  /** Japanese-market price points, cheapest first (JPY, tax-inclusive). */
  prices: readonly number[];
  /** Baseline share of an order's first line, before season and personal taste. */
  demand: number;
  /** Demand multiplier per JST month, January first. */
  monthly: readonly number[];
  womenOnly: boolean;
  /** Customers reorder these (the same SKU again). */
  replenished: boolean;
  /** Weights of quantity 1, 2, 3 on one line. */
  quantity: readonly number[];
  /** Share of this category in a collection of each season. */
  mix: Readonly<Record<Season, number>>;
  nouns: readonly string[];
  materials: readonly string[];
  /** What goes with it in the same basket or look. */
  complements: Partial<Readonly<Record<CategoryName, number>>>;
}

export const CATEGORIES: readonly CategorySpec[] = [
  {
    name: 'T-shirts', sizeRun: 'APPAREL', prices: [1990, 2490, 2990, 3490, 3990], demand: 16,
    monthly: [0.5, 0.5, 0.8, 1.1, 1.4, 1.6, 1.7, 1.5, 1.1, 0.7, 0.5, 0.5], womenOnly: false, replenished: true,
    quantity: [88, 10, 2], mix: { CORE: 3, SS: 3, AW: 0.8 },
    nouns: ['Crew Neck T-Shirt', 'V-Neck T-Shirt', 'Pocket T-Shirt', 'Oversized T-Shirt', 'Long Sleeve T-Shirt', 'Henley T-Shirt', 'Graphic T-Shirt', 'Heavyweight T-Shirt'],
    materials: ['Supima Cotton', 'Organic Cotton', 'Washed', 'Slub Jersey', 'Dry', 'Cool Touch', 'Linen Blend', 'Waffle'],
    complements: { Trousers: 3, Shirts: 1, Socks: 1.5, Outerwear: 1, Accessories: 1, Skirts: 1, Innerwear: 1 },
  },
  {
    name: 'Shirts', sizeRun: 'APPAREL', prices: [2990, 3990, 4990, 5990, 7990], demand: 10,
    monthly: [0.8, 0.9, 1.1, 1.2, 1.2, 1.1, 1.0, 0.9, 1.1, 1.1, 0.9, 0.8], womenOnly: false, replenished: false,
    quantity: [95, 5, 0], mix: { CORE: 1.5, SS: 2.5, AW: 1.5 },
    nouns: ['Oxford Shirt', 'Broadcloth Shirt', 'Band Collar Shirt', 'Open Collar Shirt', 'Flannel Shirt', 'Denim Shirt', 'Overshirt', 'Easy Care Shirt'],
    materials: ['Cotton', 'Linen', 'Stretch', 'Brushed', 'Striped', 'Relaxed Fit', 'Slim Fit', 'Washed'],
    complements: { Trousers: 3, Knitwear: 1.5, Skirts: 1.5, Shoes: 1, Accessories: 1, 'T-shirts': 0.5 },
  },
  {
    name: 'Knitwear', sizeRun: 'APPAREL', prices: [3990, 4990, 5990, 7990, 9990, 12990], demand: 8,
    monthly: [1.4, 1.1, 0.8, 0.5, 0.3, 0.2, 0.2, 0.3, 0.7, 1.3, 1.6, 1.6], womenOnly: false, replenished: false,
    quantity: [97, 3, 0], mix: { CORE: 1, SS: 0.4, AW: 2.5 },
    nouns: ['Crew Neck Sweater', 'V-Neck Cardigan', 'Turtleneck Sweater', 'Mock Neck Sweater', 'Knit Vest', 'Cable Knit Sweater', 'Polo Sweater'],
    materials: ['Merino Wool', 'Cashmere Blend', 'Lambswool', 'Cotton', 'Mohair Blend', 'Souffle Yarn', 'Ribbed'],
    complements: { Outerwear: 2.5, Trousers: 2, Skirts: 1.5, Shirts: 1.5, Accessories: 1.5 },
  },
  {
    name: 'Outerwear', sizeRun: 'APPAREL', prices: [9990, 12990, 14990, 19990, 24990, 29990], demand: 7,
    monthly: [1.5, 1.1, 0.8, 0.5, 0.2, 0.1, 0.1, 0.15, 0.5, 1.2, 1.7, 1.8], womenOnly: false, replenished: false,
    quantity: [99, 1, 0], mix: { CORE: 0.3, SS: 0.5, AW: 2.5 },
    nouns: ['Down Jacket', 'Trench Coat', 'Chester Coat', 'Parka', 'Blouson', 'Quilted Jacket', 'Mountain Parka', 'Fleece Jacket', 'Duffle Coat', 'Tailored Jacket'],
    materials: ['Ultra Light', 'Water-Repellent', 'Wool Blend', 'Hybrid Down', 'Stretch', 'Padded', 'Boa', 'Seamless'],
    complements: { Knitwear: 3, Trousers: 1.5, Accessories: 1.5, Shoes: 1 },
  },
  {
    name: 'Trousers', sizeRun: 'APPAREL', prices: [3990, 4990, 5990, 6990, 7990, 9990], demand: 12,
    monthly: [0.9, 0.9, 1.1, 1.1, 1.0, 0.9, 0.9, 0.9, 1.1, 1.1, 1.0, 0.9], womenOnly: false, replenished: false,
    quantity: [95, 5, 0], mix: { CORE: 2, SS: 2, AW: 2 },
    nouns: ['Chino Pants', 'Slim Jeans', 'Wide Leg Pants', 'Tapered Pants', 'Cargo Pants', 'Jogger Pants', 'Pleated Trousers', 'Straight Jeans', 'Ankle Pants'],
    materials: ['Stretch', 'Selvedge Denim', 'Smart', 'Linen Blend', 'Corduroy', 'Ripstop', 'Easy', 'Twill'],
    complements: { Shirts: 2, 'T-shirts': 2, Shoes: 1.5, Knitwear: 1.5, Socks: 1 },
  },
  {
    name: 'Skirts', sizeRun: 'APPAREL', prices: [3990, 4990, 5990, 6990, 7990], demand: 4,
    monthly: [0.8, 0.9, 1.1, 1.2, 1.2, 1.1, 1.0, 0.9, 1.0, 1.0, 0.9, 0.9], womenOnly: true, replenished: false,
    quantity: [98, 2, 0], mix: { CORE: 0.3, SS: 1.2, AW: 1 },
    nouns: ['Pleated Skirt', 'Flared Skirt', 'Denim Skirt', 'Narrow Skirt', 'Tiered Skirt', 'Wrap Skirt'],
    materials: ['Satin', 'Chiffon', 'Cotton', 'Knit', 'Tweed', 'Linen Blend'],
    complements: { Knitwear: 2, Shirts: 2, 'T-shirts': 1.5, Shoes: 1.5, Bags: 1 },
  },
  {
    name: 'Dresses', sizeRun: 'APPAREL', prices: [4990, 5990, 6990, 7990, 9990, 12990], demand: 4,
    monthly: [0.6, 0.7, 1.0, 1.2, 1.4, 1.4, 1.3, 1.1, 1.0, 0.9, 0.8, 0.8], womenOnly: true, replenished: false,
    quantity: [99, 1, 0], mix: { CORE: 0.2, SS: 1.5, AW: 0.8 },
    nouns: ['Shirt Dress', 'Knit Dress', 'Wrap Dress', 'Camisole Dress', 'Tiered Dress', 'Sweat Dress'],
    materials: ['Linen Blend', 'Crepe', 'Jersey', 'Rayon', 'Cotton Voile', 'Ribbed'],
    complements: { Shoes: 2, Bags: 2, Outerwear: 1.5, Accessories: 1.5 },
  },
  {
    name: 'Shoes', sizeRun: 'SHOES', prices: [4990, 5990, 6990, 7990, 9990, 12990, 14990], demand: 6,
    monthly: [0.9, 0.9, 1.2, 1.2, 1.1, 1.0, 0.9, 0.9, 1.0, 1.0, 1.0, 1.0], womenOnly: false, replenished: false,
    quantity: [99, 1, 0], mix: { CORE: 1, SS: 1, AW: 1.2 },
    nouns: ['Leather Sneakers', 'Canvas Sneakers', 'Loafers', 'Chelsea Boots', 'Sandals', 'Running Shoes', 'Slip-Ons', 'Derby Shoes'],
    materials: ['Comfort', 'Lightweight', 'Waterproof', 'Suede', 'Leather', 'Recycled'],
    complements: { Socks: 3, Trousers: 1.5, Bags: 1 },
  },
  {
    name: 'Bags', sizeRun: 'FREE', prices: [2990, 3990, 4990, 6990, 9990, 14990], demand: 4,
    monthly: [1.0, 0.9, 1.1, 1.1, 1.0, 0.9, 0.9, 0.9, 1.0, 1.0, 1.1, 1.5], womenOnly: false, replenished: false,
    quantity: [98, 2, 0], mix: { CORE: 0.7, SS: 1, AW: 1 },
    nouns: ['Tote Bag', 'Shoulder Bag', 'Backpack', 'Crossbody Bag', 'Mini Pouch', 'Drawstring Bag', 'Waist Bag'],
    materials: ['Canvas', 'Nylon', 'Faux Leather', 'Quilted', 'Padded', 'Round Mini'],
    complements: { Accessories: 2, Shoes: 1.5, Dresses: 1 },
  },
  {
    name: 'Accessories', sizeRun: 'FREE', prices: [990, 1490, 1990, 2490, 2990, 3990], demand: 6,
    monthly: [1.3, 1.0, 0.9, 0.9, 1.0, 1.0, 0.9, 0.8, 0.8, 1.0, 1.3, 1.6], womenOnly: false, replenished: false,
    quantity: [92, 7, 1], mix: { CORE: 0.7, SS: 1, AW: 1.5 },
    nouns: ['Cap', 'Bucket Hat', 'Scarf', 'Stole', 'Gloves', 'Beanie', 'Belt', 'Sunglasses'],
    materials: ['Wool Blend', 'Cotton', 'Knit', 'Leather', 'UV Protection', 'Cashmere Touch'],
    complements: { Bags: 1.5, Outerwear: 1, Knitwear: 1, Socks: 1 },
  },
  {
    name: 'Socks', sizeRun: 'SOCKS', prices: [790, 990, 990, 1290], demand: 11,
    monthly: [1.0, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 1.0, 1.1, 1.3], womenOnly: false, replenished: true,
    quantity: [55, 27, 18], mix: { CORE: 2.5, SS: 0.3, AW: 0.4 },
    nouns: ['Crew Socks', 'Ankle Socks', 'Pile Socks', 'Short Socks', 'Invisible Socks', 'Rib Socks'],
    materials: ['Supima Cotton', 'Anti-Slip', 'Warm', 'Mesh', 'Deodorising', 'Wool Blend'],
    complements: { Innerwear: 3, 'T-shirts': 2, Shoes: 1 },
  },
  {
    name: 'Innerwear', sizeRun: 'APPAREL', prices: [990, 1290, 1490, 1990], demand: 9,
    monthly: [1.3, 1.1, 0.9, 0.8, 0.9, 1.1, 1.2, 1.1, 0.8, 1.0, 1.3, 1.4], womenOnly: false, replenished: true,
    quantity: [72, 22, 6], mix: { CORE: 2.5, SS: 0.3, AW: 0.5 },
    nouns: ['Boxer Briefs', 'Thermal Crew Neck T', 'Tank Top', 'Seamless Shorts', 'Leggings', 'Crew Neck Undershirt'],
    materials: ['Warm Tech', 'Cool Tech', 'Seamless', 'Cotton Blend', 'Extra Warm', 'Ultra Stretch'],
    complements: { Socks: 3, 'T-shirts': 2, Innerwear: 1 },
  },
];

export interface ColourSpec {
  code: string;
  name: string;
  /** How common the colour is in the assortment. */
  weight: number;
  season: Season;
}

/** `season` CORE means the colour suits any season. */
export const COLOURS: readonly ColourSpec[] = [
  { code: 'BLK', name: 'Black', weight: 10, season: 'CORE' },
  { code: 'WHT', name: 'White', weight: 9, season: 'CORE' },
  { code: 'NVY', name: 'Navy', weight: 7, season: 'CORE' },
  { code: 'GRY', name: 'Gray', weight: 6, season: 'CORE' },
  { code: 'BEI', name: 'Beige', weight: 5, season: 'CORE' },
  { code: 'OWT', name: 'Off White', weight: 4, season: 'CORE' },
  { code: 'KHK', name: 'Khaki', weight: 3, season: 'CORE' },
  { code: 'BLU', name: 'Blue', weight: 3, season: 'CORE' },
  { code: 'GRN', name: 'Green', weight: 2, season: 'CORE' },
  { code: 'CHC', name: 'Charcoal', weight: 4, season: 'AW' },
  { code: 'BRN', name: 'Brown', weight: 3, season: 'AW' },
  { code: 'OLV', name: 'Olive', weight: 3, season: 'AW' },
  { code: 'RED', name: 'Red', weight: 2, season: 'AW' },
  { code: 'WIN', name: 'Wine', weight: 1.5, season: 'AW' },
  { code: 'LBL', name: 'Light Blue', weight: 3, season: 'SS' },
  { code: 'PNK', name: 'Pink', weight: 2, season: 'SS' },
  { code: 'YLW', name: 'Yellow', weight: 1.5, season: 'SS' },
  { code: 'LAV', name: 'Lavender', weight: 1.5, season: 'SS' },
];

export interface BrandSpec {
  name: string;
  /** 0 = value basics, 2 = premium: shifts prices up the category's price points. */
  tier: number;
  weight: number;
  tags: readonly StyleTag[];
  /** Share of women's and men's styles; the rest are unisex. */
  women: number;
  men: number;
}

/** Fictional house brands. The first one owns the year-round basics. */
export const BRANDS: readonly BrandSpec[] = [
  { name: 'KINARI', tier: 0, weight: 3, tags: ['minimal', 'casual'], women: 0.35, men: 0.35 },
  { name: 'Aozora Outdoor', tier: 1, weight: 2, tags: ['outdoor', 'casual'], women: 0.3, men: 0.4 },
  { name: 'Shibui Tokyo', tier: 2, weight: 1.5, tags: ['minimal', 'office'], women: 0.4, men: 0.4 },
  { name: 'NAMI', tier: 1, weight: 2, tags: ['street', 'casual'], women: 0.3, men: 0.4 },
  { name: 'Hanairo', tier: 1, weight: 1.5, tags: ['feminine', 'office'], women: 0.85, men: 0 },
];

export const APPAREL_SIZES: readonly string[] = ['XS', 'S', 'M', 'L', 'XL'];
export const SOCK_SIZES: readonly string[] = ['23-25', '25-27'];
