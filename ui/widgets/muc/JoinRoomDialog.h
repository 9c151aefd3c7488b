// SPDX-License-Identifier: GPL-3.0-or-later
// "Join group chat": account, room address, nickname and password, with a browser of a conference service's
// public rooms; joins through the chosen account's MucService and stays open with the reason when it fails.
#pragma once

#include "common/Error.h"
#include "domain/Occupant.h"

#include <QDialog>
#include <QStringList>
#include <functional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace Natter::Core {
class MucService;
}

namespace Natter::Ui {

class JoinRoomDialog : public QDialog
{
    Q_OBJECT
public:
    // The group chats of an account, or nullptr when there is no such account.
    using MucServiceProvider = std::function<Core::MucService *(const QString &account)>;

    explicit JoinRoomDialog(MucServiceProvider services, QWidget *parent = nullptr);

    // The accounts to choose from; current is preselected when it is one of them.
    void setAccounts(const QStringList &jids, const QString &current);
    void setNick(const QString &nick);
    void setRoomJid(const QString &room);
    void setPassword(const QString &password);
    // The service "Browse" lists, e.g. conference.example.org.
    void setConferenceService(const QString &service);

    QString account() const;
    // The room's bare, normalized JID; empty while the address is not valid.
    QString roomJid() const;
    QString nick() const;
    QString password() const;
    QString errorText() const;
    bool isJoining() const { return m_joining; }

    // Joins; the dialog is accepted once the room has let us in.
    void accept() override;
    // While a join is under way, the room is left again as soon as it has let us in.
    void reject() override;

Q_SIGNALS:
    void joined(const QString &account, const QString &room, bool created);

private:
    Core::MucService *service() const;
    void browse();
    void showRooms(const QList<Core::RoomListing> &rooms);
    void showBrowseError(const Core::Error &error);
    void chooseListedRoom(QListWidgetItem *item);
    void updateJoinButton();
    void setJoining(bool joining);
    void showError(const QString &text);
    void joinSucceeded(const QString &account, const QString &room, bool created);
    void joinFailed(const Core::Error &error);

    MucServiceProvider m_services;
    QFormLayout *m_form;
    QComboBox *m_account;
    QLineEdit *m_room;
    QLabel *m_roomProblem;
    QLineEdit *m_nick;
    QLineEdit *m_password;
    QLineEdit *m_conferenceService;
    QPushButton *m_browse;
    QListWidget *m_roomList;
    QLabel *m_browseStatus;
    QLabel *m_error;
    QPushButton *m_join;
    QList<QWidget *> m_inputs;
    bool m_joining = false;
    // Results of joins and listings asked before the latest are dropped.
    int m_joinGeneration = 0;
    int m_browseGeneration = 0;
};

} // namespace Natter::Ui
