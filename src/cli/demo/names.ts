/** Who the simulated people are: names in Russian and English, cities, mail providers, devices. */

/** A name in the script people write it in, and the Latin spelling used in e-mail addresses. */
export interface Name {
  text: string;
  latin: string;
}

const names = (pairs: string): Name[] =>
  pairs.split(',').map((pair) => {
    const [text, latin] = pair.split(':');
    return { text, latin: latin ?? text };
  });

export const RU_MALE = names(
  'Иван:ivan,Алексей:alexey,Дмитрий:dmitry,Сергей:sergey,Андрей:andrey,Михаил:mikhail,Александр:alexander,' +
    'Николай:nikolay,Евгений:evgeny,Максим:maxim,Артём:artem,Павел:pavel,Владимир:vladimir,Олег:oleg,' +
    'Кирилл:kirill,Никита:nikita,Роман:roman,Илья:ilya,Тимур:timur,Руслан:ruslan',
);
export const RU_FEMALE = names(
  'Анна:anna,Мария:maria,Елена:elena,Ольга:olga,Наталья:natalya,Татьяна:tatyana,Екатерина:ekaterina,' +
    'Ирина:irina,Светлана:svetlana,Юлия:yulia,Дарья:darya,Алина:alina,Ксения:ksenia,Полина:polina,' +
    'Виктория:victoria,Софья:sofia,Анастасия:anastasia,Вероника:veronika,Гульнара:gulnara,Диана:diana',
);
/** Russian surnames as [male, female] (Latin spelling of the male form). */
export const RU_SURNAMES: readonly (readonly [Name, Name])[] = (
  'Иванов:ivanov,Петров:petrov,Смирнов:smirnov,Кузнецов:kuznetsov,Попов:popov,Васильев:vasiliev,' +
  'Соколов:sokolov,Михайлов:mikhailov,Новиков:novikov,Фёдоров:fedorov,Морозов:morozov,Волков:volkov,' +
  'Алексеев:alekseev,Лебедев:lebedev,Семёнов:semenov,Егоров:egorov,Павлов:pavlov,Козлов:kozlov,' +
  'Степанов:stepanov,Николаев:nikolaev,Орлов:orlov,Андреев:andreev,Макаров:makarov,Захаров:zakharov,' +
  'Зайцев:zaitsev,Соловьёв:soloviev,Борисов:borisov,Яковлев:yakovlev,Григорьев:grigoriev,Романов:romanov,' +
  'Гарипов:garipov,Хасанов:khasanov,Сафин:safin,Ахметов:akhmetov'
)
  .split(',')
  .map((pair) => {
    const [text, latin] = pair.split(':');
    return [
      { text, latin },
      { text: `${text}а`, latin: `${latin}a` },
    ] as const;
  });

export const EN_MALE = names(
  'James,Oliver,Harry,George,Jack,Thomas,William,Daniel,Michael,David,Lukas,Felix,Jonas,Paul,Max,Leon,' +
    'Samuel,Henry,Ethan,Noah',
);
export const EN_FEMALE = names(
  'Emma,Olivia,Amelia,Isla,Sophie,Charlotte,Emily,Grace,Hannah,Lena,Mia,Lea,Anna,Laura,Julia,Chloe,' +
    'Ella,Lucy,Ruby,Alice',
);
export const EN_SURNAMES = names(
  'Smith,Jones,Taylor,Brown,Williams,Wilson,Johnson,Davies,Evans,Walker,Wright,Thompson,Robinson,Green,' +
    'Hall,Wood,Clarke,Müller:mueller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Hoffmann',
);

export interface City {
  name: string;
  country: 'RU' | 'GB' | 'DE';
  lat: number;
  lon: number;
  timezone: string;
  /** Hours from UTC (no daylight saving: close enough for the daily rhythm). */
  utcOffset: number;
  weight: number;
}

const city = (
  name: string,
  country: City['country'],
  lat: number,
  lon: number,
  timezone: string,
  utcOffset: number,
  weight: number,
): City => ({ name, country, lat, lon, timezone, utcOffset, weight });

export const RU_CITIES: readonly City[] = [
  city('Moscow', 'RU', 55.7558, 37.6173, 'Europe/Moscow', 3, 38),
  city('Saint Petersburg', 'RU', 59.9343, 30.3351, 'Europe/Moscow', 3, 20),
  city('Kazan', 'RU', 55.7961, 49.1064, 'Europe/Moscow', 3, 9),
  city('Novosibirsk', 'RU', 55.0084, 82.9357, 'Asia/Novosibirsk', 7, 8),
  city('Yekaterinburg', 'RU', 56.8389, 60.6057, 'Asia/Yekaterinburg', 5, 6),
  city('Nizhny Novgorod', 'RU', 56.2965, 43.9361, 'Europe/Moscow', 3, 4),
  city('Krasnodar', 'RU', 45.0355, 38.9753, 'Europe/Moscow', 3, 4),
  city('Samara', 'RU', 53.1959, 50.1002, 'Europe/Samara', 4, 3),
];

export const EN_CITIES: readonly City[] = [
  city('London', 'GB', 51.5072, -0.1276, 'Europe/London', 0, 50),
  city('Berlin', 'DE', 52.52, 13.405, 'Europe/Berlin', 1, 32),
  city('Manchester', 'GB', 53.4808, -2.2426, 'Europe/London', 0, 9),
  city('Munich', 'DE', 48.1351, 11.582, 'Europe/Berlin', 1, 9),
];

export const EMAIL_DOMAINS_RU: readonly (readonly [string, number])[] = [
  ['yandex.ru', 28],
  ['mail.ru', 24],
  ['gmail.com', 30],
  ['bk.ru', 5],
  ['inbox.ru', 4],
  ['ya.ru', 4],
  ['icloud.com', 5],
];

export const EMAIL_DOMAINS_EN: readonly (readonly [string, number])[] = [
  ['gmail.com', 45],
  ['outlook.com', 15],
  ['hotmail.co.uk', 8],
  ['yahoo.com', 8],
  ['icloud.com', 12],
  ['web.de', 6],
  ['gmx.de', 6],
];

export const WEB_AGENTS: readonly (readonly [string, string, string])[] = [
  [
    'Windows',
    '10',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  ],
  [
    'Windows',
    '10',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 YaBrowser/24.4.0.0 Safari/537.36',
  ],
  [
    'Mac OS',
    '14.4',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  ],
  [
    'Android',
    '14',
    'Mozilla/5.0 (Linux; Android 14; SM-A556B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  ],
  [
    'iOS',
    '17.4',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  ],
];

export const IOS_MODELS: readonly string[] = [
  'iPhone14,5',
  'iPhone15,2',
  'iPhone15,4',
  'iPhone16,1',
  'iPad13,18',
];
export const ANDROID_MODELS: readonly (readonly [string, string])[] = [
  ['Samsung', 'SM-A556B'],
  ['Xiaomi', '23090RA98G'],
  ['Google', 'Pixel 8a'],
  ['HONOR', 'ANY-LX1'],
  ['realme', 'RMX3771'],
];
