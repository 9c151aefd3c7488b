// SPDX-License-Identifier: GPL-3.0-or-later
#include "Composer.h"

#include "chat/AttachmentTray.h"
#include "chat/EmojiPicker.h"
#include "chat/ShortcodeCompleter.h"
#include "common/Result.h"
#include "presenters/ErrorPresenter.h"

#include <QBoxLayout>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QKeyEvent>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTextCursor>
#include <QToolButton>
#include <QUrl>
#include <QtConcurrentRun>
#include <functional>

namespace Natter::Ui {

namespace {

// How many "Pasted image … (n).png" names are tried in one second before giving up.
constexpr int MaxSameNames = 1000;

// Runs on a worker thread: encoding a large screenshot takes a while. Never replaces a file.
Core::Result<QString> writePng(const QImage &image, const QString &folder, const QString &name)
{
    for (int copy = 1; copy <= MaxSameNames; ++copy) {
        const QString fileName =
            copy == 1 ? name + QStringLiteral(".png") : QStringLiteral("%1 (%2).png").arg(name).arg(copy);
        QFile file(QDir(folder).filePath(fileName));
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
            if (file.exists())
                continue;
            return Core::Error(Core::Error::Code::FileWriteFailed, file.fileName());
        }
        if (image.save(&file, "PNG") && file.flush())
            return file.fileName();
        file.remove();
        return Core::Error(Core::Error::Code::FileWriteFailed, file.fileName());
    }
    return Core::Error(Core::Error::Code::FileExists, QDir(folder).filePath(name));
}

// The composer's editor. Pasted or dropped files, and a pasted image, go to attach (which takes them as
// attachments and says true) instead of becoming text; everything else is inserted as plain text, as
// QPlainTextEdit does.
class MessageEditor : public QPlainTextEdit
{
public:
    using Attach = std::function<bool(const QMimeData *)>;

    MessageEditor(QWidget *parent, Attach attach)
        : QPlainTextEdit(parent)
        , m_attach(std::move(attach))
    {}

protected:
    bool canInsertFromMimeData(const QMimeData *source) const override
    {
        return source->hasImage() || !Composer::localFilesOf(source).isEmpty() ||
               QPlainTextEdit::canInsertFromMimeData(source);
    }

    void insertFromMimeData(const QMimeData *source) override
    {
        if (!m_attach(source))
            QPlainTextEdit::insertFromMimeData(source);
    }

    // QPlainTextEdit would accept dropped files with the proposed action, a move with Shift held.
    void dragEnterEvent(QDragEnterEvent *event) override
    {
        if (Composer::localFilesOf(event->mimeData()).isEmpty())
            QPlainTextEdit::dragEnterEvent(event);
        else
            Composer::acceptFilesAsCopy(event);
    }

    void dragMoveEvent(QDragMoveEvent *event) override
    {
        if (Composer::localFilesOf(event->mimeData()).isEmpty())
            QPlainTextEdit::dragMoveEvent(event);
        else
            Composer::acceptFilesAsCopy(event);
    }

    void dropEvent(QDropEvent *event) override
    {
        if (Composer::localFilesOf(event->mimeData()).isEmpty())
            QPlainTextEdit::dropEvent(event);
        else if (Composer::acceptFilesAsCopy(event))
            m_attach(event->mimeData());
    }

private:
    Attach m_attach;
};

} // namespace

bool Composer::acceptFilesAsCopy(QDropEvent *event)
{
    if (localFilesOf(event->mimeData()).isEmpty() || !(event->possibleActions() & Qt::CopyAction))
        return false;
    event->setDropAction(Qt::CopyAction);
    event->accept();
    return true;
}

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_editor(new MessageEditor(this, [this](const QMimeData *mime) { return attachFrom(mime); }))
    , m_sendButton(new QPushButton(tr("Send"), this))
    , m_emojiButton(new QToolButton(this))
    , m_attachButton(new QToolButton(this))
    , m_tray(new AttachmentTray(this))
    , m_hint(new QLabel(this))
    , m_modeBar(new QWidget(this))
    , m_modeTitle(new QLabel(m_modeBar))
    , m_modeQuote(new QLabel(m_modeBar))
    , m_emojiPicker(new EmojiPicker(this))
    , m_completer(nullptr)
{
    setObjectName(QStringLiteral("composer"));
    m_editor->setObjectName(QStringLiteral("composerEdit"));
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    m_emojiButton->setObjectName(QStringLiteral("emojiButton"));
    m_hint->setObjectName(QStringLiteral("composerHint"));
    m_modeBar->setObjectName(QStringLiteral("composerModeBar"));
    m_modeTitle->setObjectName(QStringLiteral("composerModeTitle"));
    m_modeQuote->setObjectName(QStringLiteral("composerModeQuote"));

    m_editor->setPlaceholderText(tr("Write a message (Enter sends, Shift+Enter starts a new line)"));
    m_editor->setTabChangesFocus(true);
    m_editor->installEventFilter(this);
    m_editor->setAccessibleName(tr("Message"));
    const int lineHeight = m_editor->fontMetrics().lineSpacing();
    m_editor->setFixedHeight(lineHeight * 3 + 2 * int(m_editor->document()->documentMargin()) + 4);
    m_sendButton->setToolTip(tr("Send the message (Enter)"));
    m_sendButton->setEnabled(false);
    m_emojiButton->setText(QStringLiteral("🙂"));
    m_emojiButton->setToolTip(tr("Insert an emoji (or type : and its name)"));
    m_emojiButton->setAccessibleName(tr("Emoji"));
    m_emojiButton->setAutoRaise(true);
    m_attachButton->setObjectName(QStringLiteral("attachButton"));
    m_attachButton->setText(QStringLiteral("📎"));
    m_attachButton->setToolTip(tr("Attach files (or drop them here, or paste an image)"));
    m_attachButton->setAccessibleName(tr("Attach files"));
    m_attachButton->setAutoRaise(true);
    setAcceptDrops(true);
    m_hint->setWordWrap(true);
    m_hint->setTextFormat(Qt::PlainText);
    m_hint->hide();
    QPalette hintPalette = m_hint->palette();
    hintPalette.setColor(QPalette::WindowText, hintPalette.color(QPalette::PlaceholderText));
    m_hint->setPalette(hintPalette);

    // Text from the network (a quote) is shown as plain text, elided to one line.
    m_modeTitle->setTextFormat(Qt::PlainText);
    m_modeQuote->setTextFormat(Qt::PlainText);
    m_modeQuote->setPalette(hintPalette);
    QFont bold = m_modeTitle->font();
    bold.setBold(true);
    m_modeTitle->setFont(bold);
    auto *cancel = new QToolButton(m_modeBar);
    cancel->setObjectName(QStringLiteral("composerModeCancel"));
    cancel->setText(QStringLiteral("✕"));
    cancel->setAutoRaise(true);
    cancel->setToolTip(tr("Cancel (Esc)"));
    connect(cancel, &QToolButton::clicked, this, &Composer::modeCancelled);
    auto *texts = new QVBoxLayout;
    texts->setSpacing(0);
    texts->addWidget(m_modeTitle);
    texts->addWidget(m_modeQuote);
    auto *modeLayout = new QHBoxLayout(m_modeBar);
    modeLayout->setContentsMargins(8, 2, 0, 2);
    modeLayout->addLayout(texts, 1);
    modeLayout->addWidget(cancel, 0, Qt::AlignTop);
    m_modeBar->hide();

    auto *row = new QHBoxLayout;
    row->addWidget(m_emojiButton, 0, Qt::AlignVCenter);
    row->addWidget(m_attachButton, 0, Qt::AlignVCenter);
    row->addWidget(m_editor, 1);
    row->addWidget(m_sendButton, 0, Qt::AlignVCenter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->addWidget(m_hint);
    layout->addWidget(m_modeBar);
    layout->addWidget(m_tray);
    layout->addLayout(row);

    // Installed after the composer's own key filter, so it sees Enter first while its list is open.
    m_completer = new ShortcodeCompleter(m_editor);
    connect(m_emojiButton, &QToolButton::clicked, this,
            [this] { m_emojiPicker->popUp(m_emojiButton->mapToGlobal(QPoint(0, 0))); });
    connect(m_emojiPicker, &EmojiPicker::emojiChosen, this, &Composer::insertText);
    connect(m_attachButton, &QToolButton::clicked, this, &Composer::chooseFiles);
    connect(m_tray, &AttachmentTray::removeRequested, this, &Composer::removeAttachment);
    connect(m_sendButton, &QPushButton::clicked, this, &Composer::requestSend);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        updateSendButton();
        if (!m_settingText)
            Q_EMIT edited();
    });
}

void Composer::setSendingPossible(bool possible, const QString &reason)
{
    m_possible = possible;
    m_editor->setReadOnly(!possible);
    m_editor->setEnabled(possible);
    m_emojiButton->setEnabled(possible);
    m_attachButton->setEnabled(possible);
    m_unavailableReason = reason;
    updateHint();
    updateSendButton();
}

void Composer::updateHint()
{
    const QString hint = m_possible ? m_attachError : m_unavailableReason;
    m_hint->setText(hint);
    m_hint->setVisible(!hint.isEmpty());
}

void Composer::setAttachError(const QString &message)
{
    m_attachError = message;
    updateHint();
}

QString Composer::text() const
{
    return m_editor->toPlainText();
}

void Composer::clear()
{
    m_settingText = true;
    m_editor->clear();
    m_settingText = false;
}

void Composer::setText(const QString &text)
{
    m_settingText = true;
    m_editor->setPlainText(text);
    m_editor->moveCursor(QTextCursor::End);
    m_settingText = false;
}

void Composer::insertText(const QString &text)
{
    m_editor->insertPlainText(text);
    m_editor->setFocus();
}

void Composer::setMode(Mode mode, const QString &title, const QString &quote)
{
    m_mode = mode;
    m_modeTitle->setText(title);
    const QString oneLine = QString(quote).replace(u'\n', u' ');
    m_modeQuote->setText(m_modeQuote->fontMetrics().elidedText(oneLine, Qt::ElideRight, 600));
    m_modeQuote->setVisible(!quote.isEmpty());
    m_modeBar->setVisible(mode != Mode::Writing);
    m_sendButton->setText(mode == Mode::Editing ? tr("Save") : tr("Send"));
    updateSendButton();
}

bool Composer::sendsFiles() const
{
    return m_mode != Mode::Editing && !m_attachments.isEmpty();
}

void Composer::updateSendButton()
{
    const bool hasText = !m_editor->toPlainText().trimmed().isEmpty();
    m_sendButton->setEnabled(m_possible && (hasText || sendsFiles()));
}

void Composer::requestSend()
{
    if (!m_possible)
        return;
    const QString text = m_editor->toPlainText();
    if (sendsFiles()) {
        const QStringList files = m_attachments;
        // Emptied before the signal, so that a receiver may put back what it could not send.
        clearAttachments();
        clear();
        setAttachError({});
        Q_EMIT sendFilesRequested(files, text.trimmed());
        return;
    }
    if (text.trimmed().isEmpty())
        return;
    setAttachError({});
    Q_EMIT sendRequested(text);
}

void Composer::addAttachments(const QStringList &paths)
{
    const qsizetype before = m_attachments.size();
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.isFile() || !info.isReadable())
            continue;
        const QString file = info.absoluteFilePath();
        if (!m_attachments.contains(file))
            m_attachments.append(file);
    }
    if (m_attachments.size() != before)
        attachmentsUpdated();
}

void Composer::clearAttachments()
{
    if (m_attachments.isEmpty())
        return;
    m_attachments.clear();
    attachmentsUpdated();
}

void Composer::removeAttachment(const QString &path)
{
    if (m_attachments.removeAll(path) > 0)
        attachmentsUpdated();
}

void Composer::attachmentsUpdated()
{
    m_tray->setFiles(m_attachments);
    setAttachError({});
    updateSendButton();
    Q_EMIT attachmentsChanged();
}

QStringList Composer::localFilesOf(const QMimeData *mime)
{
    QStringList files;
    if (!mime || !mime->hasUrls())
        return files;
    const QList<QUrl> urls = mime->urls();
    for (const QUrl &url : urls) {
        if (url.isLocalFile())
            files.append(url.toLocalFile());
    }
    return files;
}

void Composer::chooseFiles()
{
    auto *dialog = new QFileDialog(this, tr("Attach files"));
    dialog->setObjectName(QStringLiteral("attachDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setDirectory(m_attachFolder.isEmpty() ? QDir::homePath() : m_attachFolder);
    connect(dialog, &QFileDialog::filesSelected, this, [this](const QStringList &files) {
        if (!files.isEmpty())
            m_attachFolder = QFileInfo(files.constFirst()).absolutePath();
        addAttachments(files);
    });
    dialog->open();
}

bool Composer::attachFrom(const QMimeData *mime)
{
    const QStringList files = localFilesOf(mime);
    if (!files.isEmpty()) {
        addAttachments(files);
        return true;
    }
    if (!mime->hasImage())
        return false;
    attachImage(qvariant_cast<QImage>(mime->imageData()));
    return true;
}

void Composer::attachImage(const QImage &image)
{
    if (image.isNull()) {
        setAttachError(tr("The pasted image could not be read."));
        return;
    }
    if (!m_pasteFolder)
        m_pasteFolder = std::make_shared<QTemporaryDir>();
    if (!m_pasteFolder->isValid()) {
        setAttachError(tr("The pasted image could not be attached: Natter could not make a temporary folder "
                          "for it (%1).")
                           .arg(m_pasteFolder->errorString()));
        m_pasteFolder.reset(); // the next paste tries again
        return;
    }
    const QString name =
        tr("Pasted image %1")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH.mm.ss")));
    QtConcurrent::run([image, name, folder = m_pasteFolder] {
        return writePng(image, folder->path(), name);
    }).then(this, [this](const Core::Result<QString> &written) {
        if (const auto *error = std::get_if<Core::Error>(&written)) {
            setAttachError(tr("The pasted image could not be attached.") + u' ' +
                           ErrorPresenter::describe(*error));
            return;
        }
        addAttachments({std::get<QString>(written)});
    });
}

void Composer::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_possible)
        acceptFilesAsCopy(event);
}

void Composer::dragMoveEvent(QDragMoveEvent *event)
{
    if (m_possible)
        acceptFilesAsCopy(event);
}

void Composer::dropEvent(QDropEvent *event)
{
    if (m_possible && acceptFilesAsCopy(event))
        addAttachments(localFilesOf(event->mimeData()));
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_editor || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    if (key->key() == Qt::Key_Tab && key->modifiers() == Qt::NoModifier && !m_nicks.isEmpty())
        return completeNick() || QWidget::eventFilter(watched, event);
    if (key->key() != Qt::Key_Tab)
        m_completionStart = -1;
    if (key->key() == Qt::Key_Escape && m_mode != Mode::Writing) {
        Q_EMIT modeCancelled();
        return true;
    }
    if (key->key() == Qt::Key_Up && key->modifiers() == Qt::NoModifier && m_editor->toPlainText().isEmpty()) {
        Q_EMIT editLastRequested();
        return true;
    }
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
    if (!enter || (key->modifiers() & Qt::ShiftModifier))
        return QWidget::eventFilter(watched, event);
    requestSend();
    return true;
}

void Composer::setNickCompletions(const QStringList &nicks)
{
    m_nicks = nicks;
    m_nicks.sort(Qt::CaseInsensitive);
    m_completionStart = -1;
}

bool Composer::completeNick()
{
    QTextCursor cursor = m_editor->textCursor();
    const QString text = m_editor->toPlainText();
    if (m_completionStart < 0) {
        int start = cursor.position();
        while (start > 0 && !text.at(start - 1).isSpace())
            --start;
        m_completionPrefix = text.mid(start, cursor.position() - start);
        if (m_completionPrefix.isEmpty())
            return false;
        m_completionStart = start;
        m_completionIndex = -1;
    }
    QStringList matches;
    for (const QString &nick : std::as_const(m_nicks)) {
        if (nick.startsWith(m_completionPrefix, Qt::CaseInsensitive))
            matches.append(nick);
    }
    if (matches.isEmpty())
        return true; // Tab stays in the composer
    m_completionIndex = (m_completionIndex + 1) % int(matches.size());
    const QString completion =
        matches.at(m_completionIndex) + (m_completionStart == 0 ? QStringLiteral(": ") : QStringLiteral(" "));
    cursor.setPosition(m_completionStart);
    cursor.setPosition(m_editor->textCursor().position(), QTextCursor::KeepAnchor);
    cursor.insertText(completion);
    m_editor->setTextCursor(cursor);
    return true;
}

} // namespace Natter::Ui
