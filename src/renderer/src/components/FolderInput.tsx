import type { InputHTMLAttributes, RefObject } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'onChange' | 'ref' | 'className' | 'tabIndex'> & {
  inputRef: RefObject<HTMLInputElement | null>;
  /** The files of the folder chosen (sub-folders included); the input is emptied for the next choice. */
  onFiles: (files: File[]) => void;
};

/** The hidden file input a button opens to choose a whole folder. */
export function FolderInput({ inputRef, onFiles, ...rest }: Props) {
  return (
    <input
      ref={(element) => {
        inputRef.current = element;
        // React has no prop for it: the picker chooses a folder, not files.
        element?.setAttribute('webkitdirectory', '');
      }}
      type="file"
      className="visually-hidden"
      tabIndex={-1}
      {...rest}
      onChange={(e) => {
        const files = [...(e.target.files ?? [])];
        e.target.value = '';
        onFiles(files);
      }}
    />
  );
}
