import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { DomainError } from '../domain/errors.ts';

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password).catch(() => false);
}

/** A random password to hand to a new user: 20 characters from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Passwords long enough to pass the length rule that guessers try first: lists of breached
 * passwords are full of them. Compared ignoring case and spaces.
 */
const COMMON_PASSWORDS = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789123', '111111111111', '000000000000', '123123123123',
  'password1234', 'password12345', 'password123456', 'passwordpassword', 'password1!password', 'p@ssw0rd1234', 'passw0rd1234',
  'qwertyuiop12', 'qwertyuiop123', 'qwertyuiopasdf', 'qwertyuiopasdfghjkl', '1qaz2wsx3edc', '1q2w3e4r5t6y', 'qwerty123456', 'qwertyqwerty',
  'abc123abc123', 'abcdefghijkl', 'abcd1234abcd', 'iloveyou1234', 'letmein12345', 'welcome12345', 'welcome123456', 'changeme1234',
  'changemenow1', 'administrator', 'administrator1', 'admin1234567', 'adminadmin12', 'football1234', 'baseball1234', 'sunshine1234',
  'princess1234', 'trustno1trustno1', 'monkey123456', 'dragon123456', 'whatever1234', 'superman1234', 'starwars1234', 'liverpool123',
  'chelsea12345', 'arsenal12345', 'manchester12', 'summer202020', 'winter202020', 'spring202020', 'autumn202020', 'london123456',
  'england12345', 'redress12345', 'redresspassword', 'complaints12', 'council12345', 'socialcare12', 'children1234',
]);

export function checkPasswordStrength(password: string, email?: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new DomainError('password_too_short', `Password must be at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
  }
  if (password.length > 200) throw new DomainError('password_too_long', 'Password must be 200 characters or fewer', 'password');
  const plain = password.toLowerCase().replace(/\s/g, '');
  if (COMMON_PASSWORDS.has(plain) || new Set(plain).size <= 2) {
    throw new DomainError('password_common', 'Choose a password that is harder to guess: this one is too common', 'password');
  }
  const local = email?.trim().toLowerCase().split('@')[0] ?? '';
  if (local.length >= 4 && plain.includes(local)) {
    throw new DomainError('password_has_email', 'Choose a password that does not contain your email address', 'password');
  }
}
