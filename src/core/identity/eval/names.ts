/**
 * Name and city lists for the synthetic dataset. Lists are short on purpose: with a few
 * thousand people they produce many namesakes (different people, same name, same city).
 * Latin spellings are the ones people type, not our transliteration, so matching is tested
 * against real variation (Aleksey/Alexey/Aleksei, Yuliya/Julia).
 */
export interface RuName {
  cyr: string;
  latin: readonly string[];
}

export const RU_MALE: readonly RuName[] = [
  { cyr: 'Иван', latin: ['Ivan'] },
  { cyr: 'Алексей', latin: ['Aleksey', 'Alexey', 'Aleksei'] },
  { cyr: 'Дмитрий', latin: ['Dmitry', 'Dmitriy', 'Dmitrii'] },
  { cyr: 'Сергей', latin: ['Sergey', 'Sergei'] },
  { cyr: 'Андрей', latin: ['Andrey', 'Andrei'] },
  { cyr: 'Михаил', latin: ['Mikhail'] },
  { cyr: 'Александр', latin: ['Aleksandr', 'Alexander', 'Alexandr'] },
  { cyr: 'Николай', latin: ['Nikolay', 'Nikolai'] },
  { cyr: 'Евгений', latin: ['Evgeny', 'Evgeniy', 'Yevgeny'] },
  { cyr: 'Юрий', latin: ['Yury', 'Yuriy', 'Iurii'] },
  { cyr: 'Максим', latin: ['Maksim', 'Maxim'] },
  { cyr: 'Артём', latin: ['Artem', 'Artyom'] },
  { cyr: 'Павел', latin: ['Pavel'] },
  { cyr: 'Владимир', latin: ['Vladimir'] },
  { cyr: 'Олег', latin: ['Oleg'] },
];

export const RU_FEMALE: readonly RuName[] = [
  { cyr: 'Анна', latin: ['Anna'] },
  { cyr: 'Мария', latin: ['Mariya', 'Maria'] },
  { cyr: 'Елена', latin: ['Elena', 'Yelena'] },
  { cyr: 'Ольга', latin: ['Olga'] },
  { cyr: 'Наталья', latin: ['Natalya', 'Natalia'] },
  { cyr: 'Татьяна', latin: ['Tatyana', 'Tatiana'] },
  { cyr: 'Екатерина', latin: ['Ekaterina', 'Yekaterina'] },
  { cyr: 'Ирина', latin: ['Irina'] },
  { cyr: 'Светлана', latin: ['Svetlana'] },
  { cyr: 'Юлия', latin: ['Yuliya', 'Yulia', 'Julia'] },
  { cyr: 'Анастасия', latin: ['Anastasiya', 'Anastasia'] },
  { cyr: 'Дарья', latin: ['Darya', 'Daria'] },
];

/** Male form; the female form adds а / a. */
export const RU_SURNAMES: readonly RuName[] = [
  { cyr: 'Иванов', latin: ['Ivanov'] },
  { cyr: 'Петров', latin: ['Petrov'] },
  { cyr: 'Смирнов', latin: ['Smirnov'] },
  { cyr: 'Кузнецов', latin: ['Kuznetsov'] },
  { cyr: 'Попов', latin: ['Popov'] },
  { cyr: 'Васильев', latin: ['Vasilyev', 'Vasiliev'] },
  { cyr: 'Соколов', latin: ['Sokolov'] },
  { cyr: 'Михайлов', latin: ['Mikhaylov', 'Mikhailov'] },
  { cyr: 'Новиков', latin: ['Novikov'] },
  { cyr: 'Фёдоров', latin: ['Fedorov', 'Fyodorov'] },
  { cyr: 'Морозов', latin: ['Morozov'] },
  { cyr: 'Волков', latin: ['Volkov'] },
  { cyr: 'Алексеев', latin: ['Alekseev', 'Alekseyev'] },
  { cyr: 'Лебедев', latin: ['Lebedev'] },
  { cyr: 'Семёнов', latin: ['Semenov', 'Semyonov'] },
  { cyr: 'Егоров', latin: ['Egorov', 'Yegorov'] },
  { cyr: 'Павлов', latin: ['Pavlov'] },
  { cyr: 'Козлов', latin: ['Kozlov'] },
  { cyr: 'Степанов', latin: ['Stepanov'] },
  { cyr: 'Николаев', latin: ['Nikolaev', 'Nikolayev'] },
];

export const RU_PATRONYMICS_MALE = ['Иванович', 'Петрович', 'Сергеевич', 'Александрович', 'Николаевич'];
export const RU_PATRONYMICS_FEMALE = ['Ивановна', 'Петровна', 'Сергеевна', 'Александровна', 'Николаевна'];

export const EN_MALE = ['James', 'John', 'Robert', 'Michael', 'William', 'David', 'Thomas'];
export const EN_FEMALE = ['Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Susan', 'Emma', 'Olivia'];
export const EN_SURNAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Miller',
  'Davis',
  'Wilson',
  'Taylor',
];

/** Cities with a population weight, written in Cyrillic and in Latin. */
export const CITIES: readonly (readonly [{ cyr: string; latin: string }, number])[] = [
  [{ cyr: 'Москва', latin: 'Moscow' }, 40],
  [{ cyr: 'Санкт-Петербург', latin: 'Saint Petersburg' }, 15],
  [{ cyr: 'Новосибирск', latin: 'Novosibirsk' }, 6],
  [{ cyr: 'Екатеринбург', latin: 'Yekaterinburg' }, 6],
  [{ cyr: 'Казань', latin: 'Kazan' }, 5],
  [{ cyr: 'Нижний Новгород', latin: 'Nizhny Novgorod' }, 5],
  [{ cyr: 'Самара', latin: 'Samara' }, 4],
  [{ cyr: 'Краснодар', latin: 'Krasnodar' }, 4],
];

export const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['gmail.com', 30],
  ['mail.ru', 25],
  ['yandex.ru', 20],
  ['bk.ru', 5],
  ['outlook.com', 8],
  ['icloud.com', 7],
  ['inbox.ru', 5],
];

/** Russian mobile codes (9xx) that libphonenumber-js accepts. */
export const RU_MOBILE_CODES = [
  '901',
  '903',
  '905',
  '909',
  '915',
  '916',
  '917',
  '925',
  '926',
  '977',
  '985',
  '999',
];
