import { Button, TextInput } from '@mantine/core';
import { IconScan } from '@tabler/icons-react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

/** Shown for FNC1/GS in the field: the server reads the symbol for group separator as GS. */
const GS_SYMBOL = '\u241d';

/**
 * A field for a keyboard-wedge scanner: the scanner "types" the code and ends with Enter. GS1 codes carry
 * FNC1 as the GS control character, which browsers do not insert into a field: it arrives as Ctrl+] (or a key
 * named "GroupSeparator"), so it is written as ␝, which the server reads as GS. Pasted text keeps its GS.
 * The field empties and takes the focus back after each submission, ready for the next vial.
 */
export function ScanField({
  label,
  description,
  submitLabel,
  onScan,
  busy,
  autoFocus = true,
}: {
  label: string;
  description?: string;
  submitLabel: string;
  onScan: (code: string) => void;
  busy?: boolean;
  autoFocus?: boolean;
}) {
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!busy && autoFocus) input.current?.focus();
  }, [busy, autoFocus]);

  // Edits the field's own text, synchronously: a scanner types faster than React renders, so the state of the
  // last render may lack the characters just typed, and a caret moved later (after a frame) would send the
  // next characters into the middle of the code.
  const insert = (text: string) => {
    const el = input.current;
    if (!el) return setValue((v) => v + text);
    el.setRangeText(text, el.selectionStart ?? el.value.length, el.selectionEnd ?? el.value.length, 'end');
    setValue(el.value);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const isGs = e.key === 'GroupSeparator' || (e.ctrlKey && (e.key === ']' || e.code === 'BracketRight'));
    if (isGs) {
      e.preventDefault();
      insert(GS_SYMBOL);
    }
  };

  const submit = () => {
    const code = (input.current?.value ?? value).split(String.fromCharCode(29)).join(GS_SYMBOL).trim();
    if (!code || busy) return;
    onScan(code);
    setValue('');
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {/* A grid rather than a Group: the field takes all the width the button leaves, whatever its help text. */}
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto', gap: 12, alignItems: 'end' }}>
        <TextInput
          ref={input}
          label={label}
          description={description}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          size="lg"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          leftSection={<IconScan size={20} aria-hidden />}
          styles={{ input: { fontFamily: 'monospace' } }}
        />
        <Button type="submit" size="lg" loading={busy} disabled={!value.trim()}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
