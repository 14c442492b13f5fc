export { SqliteDatabase, type SqliteDatabaseOptions } from './sqlite-database';
export { SqliteStorage } from './sqlite-storage';
export { newSqliteStorageFactory, SQLITE_DATABASE_FILE } from './sqlite-storage-factory';
