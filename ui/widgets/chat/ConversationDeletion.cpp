// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConversationDeletion.h"

#include "account/Account.h"
#include "account/AccountManager.h"
#include "files/AttachmentService.h"
#include "models/ConversationListModel.h"
#include "presenters/ErrorPresenter.h"
#include "storage/ConversationRepository.h"
#include "storage/FileRepository.h"

#include <QCheckBox>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QtConcurrentRun>

namespace Natter::Ui {

ConversationDeletion::ConversationDeletion(Core::AccountManager &accounts,
                                           ConversationListModel &conversations, QWidget *window)
    : QObject(window)
    , m_accounts(accounts)
    , m_conversations(conversations)
    , m_window(window)
{}

void ConversationDeletion::start(const Core::ConversationKey &key)
{
    m_accounts.fileStore().savedIn(key).then(
        this, [this, key](const Core::Result<QList<Core::StoredFile>> &saved) {
            Downloads downloads;
            if (const auto *list = std::get_if<QList<Core::StoredFile>>(&saved)) {
                for (const Core::StoredFile &file : *list) {
                    downloads.files.append(file.path);
                    if (!file.thumbnailPath.isEmpty())
                        downloads.thumbnails.append(file.thumbnailPath);
                }
            }
            ask(key, downloads);
        });
}

void ConversationDeletion::ask(const Core::ConversationKey &key, const Downloads &downloads)
{
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("Delete this conversation?"),
                        tr("All messages with %1 are deleted on this device. %1, your other devices and "
                           "your server's archive keep theirs.")
                            .arg(key.peer),
                        QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("confirmConversationDeletion"));
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *yes = box->addButton(tr("Delete conversation"), QMessageBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    if (!downloads.files.isEmpty()) {
        auto *alsoFiles = new QCheckBox(tr("Also delete the %n file(s) downloaded from this conversation",
                                           nullptr, int(downloads.files.size())),
                                        box);
        alsoFiles->setObjectName(QStringLiteral("deleteFilesBox"));
        box->setCheckBox(alsoFiles);
    }
    connect(box, &QMessageBox::finished, this, [this, box, yes, key, downloads] {
        if (box->clickedButton() != yes)
            return;
        const bool withFiles = box->checkBox() && box->checkBox()->isChecked();
        // Thumbnails were made by us from the downloads: they go either way.
        remove(key, withFiles ? downloads : Downloads{{}, downloads.thumbnails});
    });
    box->open();
}

void ConversationDeletion::remove(const Core::ConversationKey &key, const Downloads &downloads)
{
    m_accounts.conversationStore().remove(key).then(
        this, [this, key, downloads](const Core::Result<Core::Success> &done) {
            if (!Core::isOk(done)) {
                Q_EMIT failed(tr("The conversation was not deleted: %1")
                                  .arg(ErrorPresenter::describe(Core::errorOf(done))));
                return;
            }
            m_conversations.removeConversation(key);
            if (Core::Account *account = m_accounts.account(key.account))
                account->attachments().forget(key);
            // Removing many large files takes a while on some file systems: not on this thread.
            QtConcurrent::run([downloads] {
                for (const QString &thumbnail : downloads.thumbnails)
                    QFile::remove(thumbnail);
                return int(std::count_if(downloads.files.cbegin(), downloads.files.cend(),
                                         [](const QString &file) { return QFile::remove(file); }));
            }).then(this, [this, key](int removed) { Q_EMIT deleted(key, removed); });
        });
}

} // namespace Natter::Ui
