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

export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new DomainError('password_too_short', `Password must be at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
  }
  if (password.length > 200) throw new DomainError('password_too_long', 'Password must be 200 characters or fewer', 'password');
}
