import { TextInput } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';

export const searchPath = '/agent/cases/search';

/** The header's case search: Enter opens the results; `/` jumps here from anywhere. */
export function CaseSearchBox() {
  const { t } = useTranslation('cases');
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [searchParams] = useSearchParams();
  const onSearchPage = pathname === searchPath;
  const urlQuery = onSearchPage ? (searchParams.get('q') ?? '') : '';
  const [q, setQ] = useState(urlQuery);
  const input = useRef<HTMLInputElement>(null);
  useHotkeys([['/', () => input.current?.focus()]]);
  useEffect(() => setQ(urlQuery), [urlQuery]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams(onSearchPage ? searchParams : undefined);
    if (q.trim()) next.set('q', q.trim());
    else next.delete('q');
    next.delete('page');
    navigate(`${searchPath}?${next.toString()}`);
  };

  return (
    <search>
      <form onSubmit={submit}>
        <TextInput
          ref={input}
          type="search"
          size="xs"
          placeholder={t('search.placeholder')}
          aria-label={t('search.title')}
          value={q}
          onChange={(event) => setQ(event.currentTarget.value)}
          w={{ base: 160, sm: 280 }}
          data-testid="case-search"
        />
      </form>
    </search>
  );
}
