import { describe, expect, it } from 'vitest';
import {
  answersFrom,
  applicableQuestions,
  checkRows,
  firstUnfinished,
  nextQuestion,
  previousQuestion,
  questionById,
  questionProblems,
  QUESTIONS,
  say,
  submissionOf,
  summaryOf,
  type Answers,
  type Question,
} from '../../../src/domain/public/public-journeys.ts';

const question = (id: string): Question => {
  const found = questionById(id);
  if (!found) throw new Error(`no question ${id}`);
  return found;
};

const ids = (answers: Answers): string[] => applicableQuestions(answers).map((q) => q.id);

const YOUNG: Answers = {
  topic: 'complaint',
  who: 'child',
  what_happened: 'Nobody came to my review.',
  what_would_help: 'A new meeting.',
  advocate: 'yes',
  name: 'Sam',
  contact: 'email',
  contact_email: 'sam@example.org',
};

const ADULT: Answers = {
  topic: 'complaint',
  who: 'adult',
  relationship: 'parent',
  for_child: 'yes',
  child_agrees: 'yes',
  child_name: 'Riley',
  what_happened: 'Contact was cancelled.',
  what_would_help: 'A new contact plan.',
  name: 'Jo Parent',
  contact: 'none',
};

describe('the journeys', () => {
  it('asks a child only what a child’s complaint needs, with the advocate question', () => {
    expect(ids(YOUNG)).toEqual(['topic', 'who', 'what_happened', 'what_would_help', 'advocate', 'name', 'contact', 'contact_email', 'safe_contact', 'files']);
  });

  it('asks an adult about the child, and whether the child knows and agrees only when acting for them', () => {
    expect(ids(ADULT)).toEqual(['topic', 'who', 'relationship', 'for_child', 'child_agrees', 'child', 'what_happened', 'what_would_help', 'name', 'contact', 'files']);
    expect(ids({ ...ADULT, for_child: 'no' })).not.toContain('child_agrees');
  });

  it('asks for thanks, and consent to quote them, only for a compliment; no advocate outside complaints', () => {
    const compliment = ids({ topic: 'compliment', who: 'child', contact: 'none' });
    expect(compliment).toEqual(['topic', 'who', 'thanks', 'consent_to_quote', 'reply']);
    expect(ids({ topic: 'comment', who: 'care_leaver' })).not.toContain('advocate');
  });

  it('asks how to contact them safely only when they want to be contacted', () => {
    expect(ids({ ...YOUNG, contact: 'none' })).not.toContain('safe_contact');
    expect(ids({ ...YOUNG, contact: 'letter' })).toContain('safe_contact');
  });

  it('keeps a compliment to five pages at most, on either route: no relationship, no files, contact details optional', () => {
    for (const who of ['child', 'care_leaver', 'adult']) {
      const pages = ids({ topic: 'compliment', who, relationship: 'parent', contact: 'email' });
      expect(pages.length).toBeLessThanOrEqual(5);
      expect(pages).not.toContain('relationship');
    }
    const reply = question('reply');
    expect(questionProblems(reply, { topic: 'compliment', who: 'adult' })).toEqual([]);
    expect(questionProblems(reply, { topic: 'compliment', who: 'adult', contact_email: 'nope' })).toEqual([
      { field: 'contact_email', message: 'Enter an email address in the correct format, like name@example.com' },
    ]);
  });

  it('asks for contact details on their own page after the way of contact, never revealed under a radio', () => {
    expect(ids({ ...YOUNG, contact: 'email' })).toEqual(expect.arrayContaining(['contact', 'contact_email']));
    expect(ids({ ...YOUNG, contact: 'telephone' })).toContain('contact_phone');
    expect(ids({ ...YOUNG, contact: 'letter' })).toContain('contact_address');
    expect(ids({ ...ADULT, relationship: 'professional' })).toContain('organisation');
    expect(ids(ADULT)).not.toContain('organisation');
    for (const q of QUESTIONS) if (q.type === 'radios') expect(q.choices.filter((c) => c.reveals !== undefined), q.id).toEqual([]);
  });

  it('goes back to the question before that applies, and from the first page nowhere', () => {
    expect(previousQuestion(question('topic'), {})).toBeUndefined();
    expect(previousQuestion(question('what_happened'), { topic: 'complaint', who: 'child' })?.id).toBe('who');
    expect(previousQuestion(question('what_happened'), ADULT)?.id).toBe('child');
    expect(previousQuestion(question('files'), { ...YOUNG, contact: 'none' })?.id).toBe('contact');
    expect(previousQuestion(question('safe_contact'), YOUNG)?.id).toBe('contact_email');
    expect(previousQuestion(question('reply'), { topic: 'compliment', who: 'adult' })?.id).toBe('consent_to_quote');
  });

  it('words the children’s pages plainly and explains what an advocate is', () => {
    const young = { audience: 'young', topic: 'complaint' } as const;
    const adult = { audience: 'adult', topic: 'complaint' } as const;
    expect(say(question('what_happened').title, young)).toBe('Tell us what happened');
    expect(say(question('what_would_help').title, young)).toBe('What would make it better?');
    expect(say(question('what_happened').title, adult)).toBe('What is your complaint about?');
    expect(question('advocate').paragraphs?.(young)[0]).toBe(
      'An advocate is someone who is on your side. They can help you say what you think and come to meetings with you. They do not work for the social workers.',
    );
  });

  it('goes on to the next question that applies', () => {
    expect(nextQuestion(question('who'), { topic: 'complaint', who: 'child' })?.id).toBe('what_happened');
    expect(nextQuestion(question('who'), { topic: 'complaint', who: 'adult' })?.id).toBe('relationship');
    expect(nextQuestion(question('contact'), { ...YOUNG, contact: 'none' })?.id).toBe('files');
    expect(nextQuestion(question('files'), { ...YOUNG, contact: 'none' })).toBeUndefined();
  });
});

describe('checking answers', () => {
  it('says what is missing, in the words of the route', () => {
    expect(questionProblems(question('what_happened'), { topic: 'complaint', who: 'child' })).toEqual([{ field: 'what_happened', message: 'Tell us what happened' }]);
    expect(questionProblems(question('what_happened'), { topic: 'complaint', who: 'adult' })).toEqual([{ field: 'what_happened', message: 'Enter what your complaint is about' }]);
    expect(questionProblems(question('topic'), { topic: 'nonsense' })).toEqual([{ field: 'topic', message: 'Choose what you would like to tell us' }]);
  });

  it('needs a name for a complaint but not for a compliment or comment', () => {
    expect(questionProblems(question('name'), { topic: 'complaint', who: 'adult' })).toEqual([{ field: 'name', message: 'Enter your full name' }]);
    expect(questionProblems(question('name'), { topic: 'comment', who: 'adult' })).toEqual([]);
  });

  it('checks lengths and formats', () => {
    expect(questionProblems(question('what_happened'), { topic: 'complaint', who: 'adult', what_happened: 'x'.repeat(5001) })).toEqual([
      { field: 'what_happened', message: 'What happened must be 5,000 characters or fewer' },
    ]);
    expect(questionProblems(question('what_happened'), { topic: 'complaint', who: 'adult', what_happened: 'x'.repeat(5000) })).toEqual([]);
    expect(questionProblems(question('name'), { topic: 'complaint', who: 'child', name: 'n'.repeat(201) })).toEqual([
      { field: 'name', message: 'Your name is too long. Use 200 letters or fewer' },
    ]);
    expect(questionProblems(question('contact_email'), { who: 'adult', contact: 'email', contact_email: 'nope' })).toEqual([
      { field: 'contact_email', message: 'Enter an email address in the correct format, like name@example.com' },
    ]);
    expect(questionProblems(question('contact_phone'), { who: 'adult', contact: 'telephone', contact_phone: 'call me' })).toEqual([
      { field: 'contact_phone', message: 'Enter a phone number, like 07700 900 982' },
    ]);
    expect(questionProblems(question('contact_address'), { who: 'child', contact: 'letter' })).toEqual([{ field: 'contact_address', message: 'Tell us your address' }]);
    expect(questionProblems(question('organisation'), { who: 'adult', relationship: 'professional' })).toEqual([{ field: 'organisation', message: 'Enter where you work' }]);
  });

  it('finds the first unfinished question, or none when all is well', () => {
    expect(firstUnfinished({})?.id).toBe('topic');
    expect(firstUnfinished({ ...YOUNG, advocate: undefined })?.id).toBe('advocate');
    expect(firstUnfinished(YOUNG)).toBeUndefined();
    expect(firstUnfinished(ADULT)).toBeUndefined();
  });
});

describe('answers from a form', () => {
  it('keeps known fields only, trimmed, with line endings made plain', () => {
    expect(answersFrom({ topic: ' complaint ', who: 'child', what_happened: 'a\r\nb  ', evil: 'x', _csrf: 't', name: ['a', 'b'] })).toEqual({
      topic: 'complaint',
      who: 'child',
      what_happened: 'a\nb',
    });
  });

  it('drops answers to questions that no longer apply and details for a way of contact not chosen', () => {
    const changed = answersFrom({ ...ADULT, who: 'child', contact: 'email', contact_email: 'a@b.cd', contact_phone: '0123456789', advocate: 'no' });
    expect(changed.relationship).toBeUndefined();
    expect(changed.child_agrees).toBeUndefined();
    expect(changed.child_name).toBeUndefined();
    expect(changed.contact_phone).toBeUndefined();
    expect(changed.contact_email).toBe('a@b.cd');
    expect(changed.advocate).toBe('no');
  });
});

describe('check your answers', () => {
  it('lists each question that applies with the words of the answer chosen', () => {
    const rows = checkRows(YOUNG);
    expect(rows.map((r) => r.questionId)).toEqual(QUESTIONS.filter((q) => q.appliesWhen(YOUNG)).map((q) => q.id));
    expect(rows.find((r) => r.questionId === 'advocate')?.lines).toEqual(['Yes, I would like an advocate']);
    expect(rows.find((r) => r.questionId === 'contact')?.lines).toEqual(['Email']);
    expect(rows.find((r) => r.questionId === 'contact_email')?.lines).toEqual(['sam@example.org']);
    expect(rows.find((r) => r.questionId === 'safe_contact')?.lines).toEqual(['Not given']);
  });
});

describe('what is stored', () => {
  it('maps a child’s complaint to a provisional statutory complaint received online today', () => {
    const stored = submissionOf(YOUNG, '2026-11-26');
    expect(stored).toMatchObject({
      kind: 'children_statutory',
      audience: 'young',
      receivedOn: '2026-11-26',
      channel: 'online',
      complainantRole: 'child',
      complimentSource: null,
      email: 'sam@example.org',
      complainant: { name: 'Sam', email: 'sam@example.org', phone: null, address: null, preferredContact: 'email' },
    });
    expect(stored.summary).toContain('Nobody came to my review.');
    expect(stored.summary).toContain('Advocate: would like one.');
  });

  it('keeps only the contact detail chosen, and none for "do not contact me"', () => {
    const stored = submissionOf(ADULT, '2026-11-26');
    expect(stored.complainant).toMatchObject({ name: 'Jo Parent', email: null, phone: null, address: null, preferredContact: 'none', reasonableAdjustments: null });
    expect(stored.email).toBeUndefined();
    expect(stored.isMadeForChild).toBe(true);
    expect(stored.complainantRole).toBe('parent');
  });

  it('keeps no person at all for an anonymous comment', () => {
    const stored = submissionOf({ topic: 'comment', who: 'care_leaver', what_happened: 'An idea.', contact: 'none' }, '2026-11-26');
    expect(stored).toMatchObject({ kind: 'comment', complainantRole: 'care_leaver', complainant: undefined });
  });

  it('records a compliment’s source and consent to quote', () => {
    const stored = submissionOf(
      { topic: 'compliment', who: 'adult', relationship: 'foster_carer', what_happened: 'Great support.', thanks_who: 'Alex', consent_to_quote: 'yes', contact: 'none' },
      '2026-11-26',
    );
    expect(stored).toMatchObject({ kind: 'compliment', complimentSource: 'foster_carer', hasConsentToQuote: true, workerName: 'Alex' });
  });

  it('keeps a compliment’s optional contact details, replying by email when one is given', () => {
    const base = { topic: 'compliment', who: 'adult', what_happened: 'Great support.', consent_to_quote: 'no' } as const;
    expect(submissionOf(base, '2026-11-26')).toMatchObject({ complainant: undefined, complimentSource: 'other', email: undefined });
    expect(submissionOf({ ...base, contact_phone: '07700 900 982', contact_email: 'jo@example.org' }, '2026-11-26')).toMatchObject({
      complainant: { name: 'Name not given', email: 'jo@example.org', phone: '07700 900 982', preferredContact: 'email' },
      email: 'jo@example.org',
    });
  });

  it('refuses unfinished answers', () => {
    expect(() => submissionOf({ topic: 'complaint' }, '2026-11-26')).toThrow(/not finished/);
  });

  it('writes a summary saying who sent it and what they said', () => {
    expect(summaryOf(ADULT)).toBe(
      'Complaint sent online by a parent.\n\nWhat happened:\nContact was cancelled.\n\nWhat they would like to happen:\nA new contact plan.\n\nMade for the child or young person.\n\nThe child knows and agrees.\n\nAsked not to be contacted.',
    );
  });
});
