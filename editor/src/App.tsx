import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { useState } from 'react';
import { ApiProvider } from './api/ApiContext';
import { IdentityProvider } from './identity/IdentityContext';
import { Layout } from './Layout';
import { DocumentListPage } from './pages/DocumentListPage';
import { EditorPage } from './pages/EditorPage';
import { NotFoundPage, RouteErrorPage } from './pages/NotFoundPage';

function createRouter() {
  return createBrowserRouter([
    {
      element: <Layout />,
      errorElement: <RouteErrorPage />,
      children: [
        { index: true, element: <DocumentListPage /> },
        { path: 'd/:documentId', element: <EditorPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}

export function App() {
  const [router] = useState(createRouter);
  return (
    <ApiProvider>
      <IdentityProvider>
        <RouterProvider router={router} />
      </IdentityProvider>
    </ApiProvider>
  );
}
