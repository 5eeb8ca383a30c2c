/**
 * A visit to the e-commerce site or app (seed 004's event list in Segment's e-commerce spec):
 * browsing, search, product views, cart changes, checkout that completes, fails to pay or is
 * abandoned.
 */
import { PRODUCTS, type Product, SEARCH_QUERIES } from './catalog.ts';
import { identifyTraits, messyEmail } from './identifiers.ts';
import {
  geolocation,
  leaveEmail,
  pageRef,
  type Session,
  scrollAndClick,
  signIn,
  signOut,
  signsInNow,
  trackOnPage,
  view,
} from './session.ts';

type Json = Record<string, unknown>;

const CATEGORIES = [...new Set(PRODUCTS.map((p) => p.category))];
const BY_CATEGORY = new Map(CATEGORIES.map((c) => [c, PRODUCTS.filter((p) => p.category === c)]));
const CATEGORY_TITLES: Record<string, string> = {
  smartphones: 'Смартфоны',
  laptops: 'Ноутбуки',
  audio: 'Аудиотехника',
  home: 'Техника для дома',
  clothing: 'Одежда и обувь',
  beauty: 'Красота',
  kids: 'Детям',
  sports: 'Спорт',
  books: 'Книги',
  grocery: 'Продукты',
};

function productProps(p: Product): Json {
  return {
    product_id: p.id,
    sku: p.id,
    name: p.name,
    category: p.category,
    brand: p.brand,
    price: p.price,
    currency: 'RUB',
  };
}

/** Cheap things sell more: weight ∝ price^-0.75. */
const popularity = (products: readonly Product[]) => products.map((p) => [p, p.price ** -0.75] as const);
const ALL_BY_POPULARITY = popularity(PRODUCTS);
const CATEGORY_BY_POPULARITY = new Map(CATEGORIES.map((c) => [c, popularity(BY_CATEGORY.get(c) ?? [])]));

/** Each person leans to two categories (a stable choice per person). */
function pickProduct(s: Session): Product {
  const { rng, person } = s;
  if (rng.chance(0.6)) {
    const favourite = CATEGORIES[(person.index * 7 + (rng.chance(0.5) ? 0 : 3)) % CATEGORIES.length];
    return rng.weighted(CATEGORY_BY_POPULARITY.get(favourite) ?? ALL_BY_POPULARITY);
  }
  return rng.weighted(ALL_BY_POPULARITY);
}

/** Expensive things are added to the cart less readily. */
function addChance(product: Product, intent: boolean): number {
  return (intent ? 0.4 : 0.06) * Math.min(1, Math.sqrt(6000 / product.price));
}

function productView(s: Session, product: Product): void {
  view(s, 'Product', `/product/${product.id}`, product.name, { product_id: product.id });
  trackOnPage(s, 0.05, 'Product Viewed', { ...productProps(product), ...pageRef(s) });
  scrollAndClick(s, 'button.add-to-cart');
}

function addToCart(s: Session, product: Product, fraction: number): void {
  const { client, rng } = s;
  if (!client.cartId) client.cartId = `cart-${rng.hex(16)}`;
  const quantity = rng.chance(0.85) ? 1 : rng.int(2, 3);
  const line = client.cart.find((l) => PRODUCTS[l.productIndex].id === product.id);
  if (line) line.quantity += quantity;
  else client.cart.push({ productIndex: PRODUCTS.indexOf(product), quantity });
  trackOnPage(s, fraction, 'Product Added', { cart_id: client.cartId, ...productProps(product), quantity });
}

function cartProducts(s: Session): Json[] {
  return s.client.cart.map((l) => ({ ...productProps(PRODUCTS[l.productIndex]), quantity: l.quantity }));
}

function removeFromCart(s: Session): void {
  const { client, rng } = s;
  view(s, 'Cart', '/cart', 'Корзина');
  const at = rng.int(0, client.cart.length - 1);
  const [line] = client.cart.splice(at, 1);
  trackOnPage(s, 0.6, 'Product Removed', {
    cart_id: client.cartId,
    ...productProps(PRODUCTS[line.productIndex]),
    quantity: line.quantity,
  });
}

function browse(s: Session, intent: boolean): void {
  const { rng, client } = s;
  const action = rng.weighted<string>([
    ['search', 15],
    ['category', 25],
    ['product', 50],
    ['remove', client.cart.length > 1 ? 6 : 0],
  ]);
  if (action === 'remove') {
    removeFromCart(s);
    return;
  }
  if (action === 'search') {
    const query = rng.pick(SEARCH_QUERIES);
    view(s, 'Search', `/search?q=${encodeURIComponent(query)}`, `Поиск: ${query}`);
    trackOnPage(s, 0.02, 'Products Searched', { query });
    scrollAndClick(s, 'a.product-card');
  } else if (action === 'category') {
    const category = rng.pick(CATEGORIES);
    view(s, 'Category', `/catalog/${category}`, CATEGORY_TITLES[category] ?? category, { category });
    scrollAndClick(s, 'a.product-card');
    return;
  }
  const product = pickProduct(s);
  productView(s, product);
  if (rng.chance(addChance(product, intent))) addToCart(s, product, 0.9);
}

const PAYMENT_METHODS: readonly (readonly [string, number])[] = [
  ['card', 55],
  ['sbp', 25],
  ['yoomoney', 8],
  ['cash_on_delivery', 12],
];
const FAILURES = ['insufficient_funds', '3ds_failed', 'card_declined', 'bank_timeout'];

function checkout(s: Session): void {
  const { rng, client, person, state, tl } = s;
  view(s, 'Cart', '/cart', 'Корзина');
  trackOnPage(s, 0.9, 'Click', { ...pageRef(s), element: 'button.checkout', element_text: 'Оформить заказ' });
  if (!client.userId && person.signsIn && rng.chance(0.7)) signIn(s);
  view(s, 'Checkout', '/checkout', 'Оформление заказа');
  state.checkouts += 1;
  const orderId = `SO-${person.index + 1}-${state.checkouts}`;
  const products = cartProducts(s);
  const subtotal = client.cart.reduce((sum, l) => sum + PRODUCTS[l.productIndex].price * l.quantity, 0);
  const coupon = rng.chance(0.15) ? rng.pick(['SPRING10', 'WELCOME10', 'APP10']) : undefined;
  const discount = coupon ? Math.round(subtotal * 0.1) : 0;
  const revenue = subtotal - discount;
  const shipping = revenue >= 3000 ? 0 : 299;
  const order = { order_id: orderId, value: subtotal, revenue, shipping, discount, currency: 'RUB' };
  trackOnPage(s, 0.05, 'Checkout Started', { ...order, ...(coupon ? { coupon } : {}), products });
  if (!client.userId) {
    // Guest checkout: the form asks for contact details.
    const traits = identifyTraits(rng, person, rng.chance(0.5) ? 'email' : 'phone');
    tl.identify(s.t, client, {
      email: traits.email ?? messyEmail(rng, person),
      ...pick(traits, ['phone', 'first_name']),
    });
  }
  const ids = client.userId
    ? { userId: client.userId, anonymousId: client.anonymousId }
    : { anonymousId: client.anonymousId };
  const abandon = () =>
    tl.backendTrack(s.t + rng.int(3600, 7200) * 1000, ids, 'Checkout Abandoned', {
      order_id: orderId,
      cart_id: client.cartId,
      value: subtotal,
      currency: 'RUB',
      products,
    });
  if (rng.chance(0.3)) {
    abandon();
    return;
  }
  const paymentMethod = rng.weighted(PAYMENT_METHODS);
  const amount = revenue + shipping;
  const payment = { order_id: orderId, amount, currency: 'RUB', payment_method: paymentMethod };
  if (paymentMethod !== 'cash_on_delivery' && rng.chance(0.1)) {
    tl.backendTrack(s.t, ids, 'Payment Failed', { ...payment, reason: rng.pick(FAILURES) });
    s.t += rng.int(20, 120) * 1000;
    if (rng.chance(0.35)) {
      abandon();
      return;
    }
  }
  if (paymentMethod !== 'cash_on_delivery') tl.backendTrack(s.t, ids, 'Payment Succeeded', payment);
  tl.track(s.t + rng.int(300, 1500), client, 'Order Completed', {
    ...order,
    checkout_id: client.cartId,
    total: amount,
    payment_method: paymentMethod,
    ...(coupon ? { coupon } : {}),
    products,
  });
  s.t += 2000;
  view(s, 'Order Completed', `/checkout/success?order=${orderId}`, 'Спасибо за заказ!', {
    order_id: orderId,
  });
  client.cart = [];
  client.cartId = '';
}

function pick(record: Json, keys: string[]): Json {
  return Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
}

/** One visit to the shop, landing where the touch points (home by default). */
export function shopVisit(s: Session): void {
  const { rng, person, client, state } = s;
  const landing = s.touch?.landing;
  const organicProduct = !landing && s.referrer !== '' && !s.touch?.campaign && rng.chance(0.5);
  if (landing) view(s, landing.name, landing.path, landing.title);
  else if (organicProduct) productView(s, pickProduct(s));
  else view(s, 'Home', '/', 'Магазин — главная');
  if (!landing && !organicProduct) scrollAndClick(s, rng.chance(0.5) ? 'a.banner' : 'a.catalog-link');
  geolocation(s);
  const signInNow = signsInNow(s);
  if (signInNow && rng.chance(0.6)) signIn(s);
  const intent = rng.chance(person.buyIntent) || (client.cart.length > 0 && rng.chance(0.3));
  const actions = 1 + rng.poisson(intent ? 3.5 : 2);
  for (let i = 0; i < actions; i++) {
    browse(s, intent);
    if (signInNow && i === 1) signIn(s);
  }
  if (
    person.leadCapture &&
    !state.leadCaptured &&
    !client.userId &&
    client.type === 'web' &&
    rng.chance(0.5)
  ) {
    leaveEmail(s, messyEmail(rng, person));
  }
  if (intent && client.cart.length > 0) checkout(s);
  if (client.type === 'web' && !client.shared && rng.chance(0.05)) signOut(s);
  if (client.shared && rng.chance(0.6)) signOut(s);
}
