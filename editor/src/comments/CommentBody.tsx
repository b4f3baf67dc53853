import { parseCommentBody } from './text';

/**
 * A comment's text, as text: mentions as a styled name, web addresses as
 * links that open in a new tab and pass nothing on. Nothing in a body is
 * ever interpreted as HTML.
 */
export function CommentBody({ body, className = 'comment__body', testId = 'comment-body' }: { body: string; className?: string; testId?: string }) {
  return (
    <p className={className} data-testid={testId}>
      {parseCommentBody(body).map((part, i) => {
        switch (part.kind) {
          case 'text':
            return <span key={i}>{part.text}</span>;
          case 'mention':
            return (
              <span key={i} className="mention" data-user-id={part.userId}>
                @{part.name}
              </span>
            );
          case 'link':
            return (
              <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
                {part.href}
              </a>
            );
        }
      })}
    </p>
  );
}
