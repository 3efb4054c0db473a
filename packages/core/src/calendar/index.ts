// Calendar helpers for Japanese administrative work: JST calendar dates, 和暦, fiscal-year retention, holidays,
// working-time clocks and document numbers. Pure code, no I/O.
export * from './calendarDate.ts';
export * from './wareki.ts';
export * from './retention.ts';
export * from './holidays.ts';
export * from './businessTime.ts';
export * from './documentNumber.ts';
